// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using Acgs.Injection;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Acgs.Cli.Inject;

/// <summary>
/// Injects the sidecar into a multi-document YAML stream: Pods and the pod templates of Deployments,
/// StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs go through <see cref="PodPatchBuilder"/> (namespace
/// treated as opted in: the user asked for injection); every other document, and every object that is not
/// injected, is copied byte for byte. An injected document is re-serialised (its comments are not kept).
/// </summary>
internal sealed class ManifestInjector
{
    private static readonly IReadOnlyDictionary<string, string> OptedIn =
        new Dictionary<string, string>(StringComparer.Ordinal) { [InjectionLabels.Inject] = InjectionLabels.NamespaceEnabled };

    private readonly PodPatchBuilder builder;

    public ManifestInjector(PodPatchBuilder builder) => this.builder = builder;

    /// <summary>Injects <paramref name="yaml"/>; throws <see cref="InvalidDataException"/> with the position of malformed YAML.</summary>
    public ManifestInjection Inject(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var documents = Split(yaml, source);
        var output = new StringBuilder(yaml.Length * 2);
        var report = new List<string>();
        var previousEnd = 0;
        for (var index = 0; index < documents.Count; index++)
        {
            var (contentStart, end) = documents[index];
            var content = yaml[contentStart..end];
            string? replaced;
            try
            {
                replaced = InjectDocument(content, source, index + 1, report);
            }
            catch (Exception e) when (e is YamlException or FormatException or InvalidCastException or ArgumentException or InvalidOperationException or OverflowException)
            {
                var line = yaml.AsSpan(0, contentStart).Count('\n') + 1;
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{source}: document {index + 1} (starting at line {line}) cannot be read: {Innermost(e).Message}"), e);
            }

            if (replaced is null)
            {
                output.Append(yaml, previousEnd, end - previousEnd);
            }
            else
            {
                output.Append(yaml, previousEnd, contentStart - previousEnd);
                if (output.Length > 0 && output[^1] != '\n')
                {
                    output.Append('\n');
                }

                output.Append(replaced);
                if (replaced.Length == 0 || replaced[^1] != '\n')
                {
                    output.Append('\n');
                }
            }

            previousEnd = end;
        }

        output.Append(yaml, previousEnd, yaml.Length - previousEnd);
        return new ManifestInjection(output.ToString(), report);
    }

    /// <summary>
    /// Each document's content start (its root node, after an explicit <c>---</c> and any comments before it) and end,
    /// as character offsets.
    /// </summary>
    private static List<(int ContentStart, int End)> Split(string yaml, string source)
    {
        var documents = new List<(int, int)>();
        var scanner = new Scanner(new StringReader(yaml), skipComments: true);
        var parser = new Parser(scanner);
        var contentStart = 0;
        var rootSeen = false;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart start:
                        contentStart = (int)start.End.Index;
                        rootSeen = false;
                        break;
                    case DocumentEnd end:
                        documents.Add((contentStart, Math.Max(contentStart, (int)end.End.Index)));
                        break;
                    case { } node when !rootSeen:
                        contentStart = (int)node.Start.Index;
                        rootSeen = true;
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: malformed YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"), e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some truncated flow collections.
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: malformed YAML at line {scanner.CurrentPosition.Line}, column {scanner.CurrentPosition.Column}: the YAML scanner could not read on ({e.Message})"), e);
        }

        return documents;
    }

    private string? InjectDocument(string content, string source, int number, List<string> report)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(content));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return null;
        }

        var apiVersion = Scalar(root, "apiVersion");
        var kind = Scalar(root, "kind");
        try
        {
            switch ((apiVersion, kind))
            {
                case ("v1", "Pod"):
                {
                    var pod = KubernetesYaml.Deserialize<V1Pod>(content);
                    var (result, injected) = builder.Inject(pod, null, OptedIn);
                    Report(report, "Pod", pod.Metadata, result);
                    if (!result.Decision.Inject)
                    {
                        return null;
                    }

                    Warn(report, "Pod", pod.Metadata, DroppedFields.Find(root, pod));
                    return KubernetesYaml.Serialize(injected);
                }

                case ("apps/v1", "Deployment"):
                    return Workload(KubernetesYaml.Deserialize<V1Deployment>(content), kind, static d => d.Spec?.Template, root, report);
                case ("apps/v1", "StatefulSet"):
                    return Workload(KubernetesYaml.Deserialize<V1StatefulSet>(content), kind, static s => s.Spec?.Template, root, report);
                case ("apps/v1", "DaemonSet"):
                    return Workload(KubernetesYaml.Deserialize<V1DaemonSet>(content), kind, static d => d.Spec?.Template, root, report);
                case ("apps/v1", "ReplicaSet"):
                    return Workload(KubernetesYaml.Deserialize<V1ReplicaSet>(content), kind, static r => r.Spec?.Template, root, report);
                case ("batch/v1", "Job"):
                    return Workload(KubernetesYaml.Deserialize<V1Job>(content), kind, static j => j.Spec?.Template, root, report);
                case ("batch/v1", "CronJob"):
                    return Workload(KubernetesYaml.Deserialize<V1CronJob>(content), kind, static c => c.Spec?.JobTemplate?.Spec?.Template, root, report);
                default:
                    return null;
            }
        }
        catch (YamlException e)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: document {number} ({apiVersion} {kind}) is not a valid {kind}: line {e.Start.Line}, column {e.Start.Column} of the document: {Innermost(e).Message}"), e);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: document {number} ({apiVersion} {kind}) is not a valid {kind}: {Innermost(e).Message}"), e);
        }
    }

    private string? Workload<T>(T workload, string? kind, Func<T, V1PodTemplateSpec?> template, YamlNode original, List<string> report)
        where T : IMetadata<V1ObjectMeta>
    {
        var spec = template(workload);
        if (spec?.Spec is null)
        {
            throw new YamlException(Mark.Empty, Mark.Empty, "it has no pod template (spec.template.spec)");
        }

        var pod = new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = spec.Metadata ?? new V1ObjectMeta(), Spec = spec.Spec };
        var (result, injected) = builder.Inject(pod, workload.Metadata?.NamespaceProperty, OptedIn);
        Report(report, kind!, workload.Metadata, result);
        if (!result.Decision.Inject)
        {
            return null;
        }

        Warn(report, kind!, workload.Metadata, DroppedFields.Find(original, workload));
        spec.Metadata = injected.Metadata;
        spec.Spec = injected.Spec;
        return KubernetesYaml.Serialize(workload);
    }

    private static void Report(List<string> report, string kind, V1ObjectMeta? metadata, InjectionResult result)
    {
        var name = metadata?.Name ?? metadata?.GenerateName ?? "(unnamed)";
        var ns = metadata?.NamespaceProperty;
        // Every eligible pod is injected here (as in a namespace labelled for injection), so "injected" says it all.
        report.Add(kind + " " + (ns is null ? name : ns + "/" + name) + ": " + (result.Decision.Inject ? "injected" : result.Decision.Reason));
    }

    private static void Warn(List<string> report, string kind, V1ObjectMeta? metadata, List<string> dropped)
    {
        if (dropped.Count > 0)
        {
            var name = metadata?.Name ?? metadata?.GenerateName ?? "(unnamed)";
            var ns = metadata?.NamespaceProperty;
            report.Add("warning: " + kind + " " + (ns is null ? name : ns + "/" + name) + ": fields unknown to the Kubernetes object model were dropped: "
                + string.Join(", ", dropped));
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
