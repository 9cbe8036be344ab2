// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Injection;
using Acgs.Injection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.ControlPlane.Tests.Injection;

public sealed class AdmissionReviewHandlerTests
{
    private static readonly AdmissionReviewHandler Handler = new(new PodPatchBuilder(new InjectionOptions()), NullLogger<AdmissionReviewHandler>.Instance);

    [Fact]
    public void Handle_AnnotatedPod_EchoesUidAllowsAndReturnsBase64JsonPatch()
    {
        var outcome = Handle(AdmissionReviews.Review(AdmissionReviews.Pod("true"), uid: "uid-1"), namespaceEnabled: false);

        Assert.Equal("injected", outcome.Result);
        var response = JsonNode.Parse(outcome.Response!)!;
        Assert.Equal("admission.k8s.io/v1", (string?)response["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)response["kind"]);
        Assert.Equal("uid-1", (string?)response["response"]!["uid"]);
        Assert.True((bool)response["response"]!["allowed"]!);
        Assert.Equal("JSONPatch", (string?)response["response"]!["patchType"]);
        var patch = JsonNode.Parse(Convert.FromBase64String((string)response["response"]!["patch"]!))!.AsArray();
        Assert.Equal(
            ["/spec/initContainers", "/spec/volumes", "/metadata/annotations/acgs.io~1status", "/metadata/annotations/prometheus.io~1scrape",
                "/metadata/annotations/prometheus.io~1port", "/metadata/annotations/prometheus.io~1path"],
            patch.Select(static p => (string?)p!["path"]));
    }

    [Fact]
    public void Handle_UnannotatedPodOnInject_AllowsWithoutPatch()
    {
        var outcome = Handle(AdmissionReviews.Review(AdmissionReviews.Pod()), namespaceEnabled: false);

        Assert.Equal("skipped", outcome.Result);
        var response = JsonNode.Parse(outcome.Response!)!["response"]!.AsObject();
        Assert.True((bool)response["allowed"]!);
        Assert.False(response.ContainsKey("patch"));
        Assert.False(response.ContainsKey("patchType"));
    }

    [Fact]
    public void Handle_UnannotatedPodOnNamespaceEnabled_Injects()
    {
        Assert.Equal("injected", Handle(AdmissionReviews.Review(AdmissionReviews.Pod()), namespaceEnabled: true).Result);
    }

    [Fact]
    public void Handle_OptedOutPodOnNamespaceEnabled_Skips()
    {
        Assert.Equal("skipped", Handle(AdmissionReviews.Review(AdmissionReviews.Pod("false")), namespaceEnabled: true).Result);
    }

    [Fact]
    public void Handle_SystemNamespace_Skips()
    {
        Assert.Equal("skipped", Handle(AdmissionReviews.Review(AdmissionReviews.Pod("true"), ns: "kube-system"), namespaceEnabled: true).Result);
    }

    [Fact]
    public void Handle_UpdateOperation_AllowsWithoutPatch()
    {
        Assert.Equal("skipped", Handle(AdmissionReviews.Review(AdmissionReviews.Pod("true"), operation: "UPDATE"), namespaceEnabled: true).Result);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "{not json", "the body is not JSON" },
        { "[1,2]", "must be a JSON object" },
        { """{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{}}""", "apiVersion must be 'admission.k8s.io/v1', got 'admission.k8s.io/v1beta1'" },
        { """{"apiVersion":"admission.k8s.io/v1","kind":"Pod"}""", "kind must be 'AdmissionReview', got 'Pod'" },
        { """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""", "request is missing" },
        { """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":""}}""", "request.uid is missing, empty" },
        { """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"apps","version":"v1","kind":"Deployment"},"object":{}}}""", "request.kind must be the core v1 Pod" },
        { """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE"}}""", "request.object is missing" },
        { """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","object":{"spec":{"containers":5}}}}""", "request.object is not a valid Pod" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Handle_MalformedReview_RefusesWithPreciseError(string body, string expected)
    {
        var outcome = Handler.Handle(Encoding.UTF8.GetBytes(body), namespaceEnabled: true);

        Assert.Equal("malformed", outcome.Result);
        Assert.Null(outcome.Response);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"spec":{}}""")]
    [InlineData("""{"metadata":null,"spec":{"containers":null}}""")]
    [InlineData("""{"spec":{"containers":[null,{"name":"a","ports":[null,{"containerPort":0},{"containerPort":70000}]}],"initContainers":[null],"volumes":null}}""")]
    [InlineData("""{"metadata":{"annotations":{"acgs.io/inject":null},"labels":{"app":""}},"spec":{"containers":[{"name":"a"}]}}""")]
    [InlineData("""{"metadata":{"name":"ÄÖÜ/../x","generateName":"---"},"spec":{"containers":[{}]}}""")]
    [InlineData("""{"spec":{"hostNetwork":null,"containers":[{"name":"a","resources":{"limits":{"cpu":"1"}}}]},"status":{"phase":"Pending"},"unknownTopLevel":{"x":[1,2]}}""")]
    public void Handle_OddButValidPods_AnswersWithoutThrowing(string pod)
    {
        var outcome = Handle(AdmissionReviews.Review(JsonNode.Parse(pod)), namespaceEnabled: true);

        Assert.Contains(outcome.Result, new[] { "injected", "skipped" });
        var response = JsonNode.Parse(outcome.Response!)!["response"]!;
        Assert.True((bool)response["allowed"]!);
        if (outcome.Result == "injected")
        {
            var patched = JsonNode.Parse(pod)!;
            Acgs.Injection.JsonPatch.Apply(patched, JsonNode.Parse(Convert.FromBase64String((string)response["patch"]!))!.AsArray()
                .Select(static o => new JsonPatchOperation((string)o!["op"]!, (string)o["path"]!, o["value"]?.DeepClone())).ToList());
            Assert.Equal("acgs-sidecar", (string?)patched["spec"]!["initContainers"]!.AsArray().Single(static c => (string?)c?["name"] == "acgs-sidecar")!["name"]);
        }
    }

    private static AdmissionOutcome Handle(JsonNode review, bool namespaceEnabled) =>
        Handler.Handle(Encoding.UTF8.GetBytes(review.ToJsonString()), namespaceEnabled);
}
