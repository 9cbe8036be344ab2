// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>
/// AdmissionReview requests shaped like those the API server of Kubernetes 1.29–1.33 sends for a pod a ReplicaSet creates:
/// <c>requestKind</c>/<c>requestResource</c>, the controller's <c>userInfo</c> (from 1.30 with the credential-id and
/// node <c>extra</c> of bound ServiceAccount tokens), <c>CreateOptions</c>, and the pod after defaulting: generateName
/// without name, owner reference, managed fields, the <c>kube-api-access-*</c> projected volume and its mount, default
/// tolerations, DNS and scheduling fields, and (1.33) the container <c>resizePolicy</c> of in-place resize.
/// </summary>
internal static class VersionedAdmissionReviews
{
    public static readonly string[] Versions = ["1.29", "1.30", "1.31", "1.32", "1.33"];

    public static JsonObject Review(string version, string uid)
    {
        var minor = int.Parse(version[2..], System.Globalization.CultureInfo.InvariantCulture);
        var userInfo = new JsonObject
        {
            ["username"] = "system:serviceaccount:kube-system:replicaset-controller",
            ["uid"] = "3d1c2c5e-8b1f-4b8e-9d0e-6f3c0a1b2c3d",
            ["groups"] = new JsonArray("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"),
        };
        if (minor >= 30)
        {
            userInfo["extra"] = new JsonObject
            {
                ["authentication.kubernetes.io/credential-id"] = new JsonArray("JTI=0b6e3a52-52a5-4c4c-9f5c-2f0f5d6c1a77"),
                ["authentication.kubernetes.io/node-name"] = new JsonArray("node-a"),
                ["authentication.kubernetes.io/node-uid"] = new JsonArray("a9c5e0f4-3a4b-4bfa-8f0c-1d2e3f4a5b6c"),
            };
        }

        var gvk = new JsonObject { ["group"] = string.Empty, ["version"] = "v1", ["kind"] = "Pod" };
        var gvr = new JsonObject { ["group"] = string.Empty, ["version"] = "v1", ["resource"] = "pods" };
        return new JsonObject
        {
            ["kind"] = "AdmissionReview",
            ["apiVersion"] = "admission.k8s.io/v1",
            ["request"] = new JsonObject
            {
                ["uid"] = uid,
                ["kind"] = gvk,
                ["resource"] = gvr,
                ["requestKind"] = gvk.DeepClone(),
                ["requestResource"] = gvr.DeepClone(),
                ["namespace"] = "shop",
                ["operation"] = "CREATE",
                ["userInfo"] = userInfo,
                ["object"] = Pod(minor),
                ["oldObject"] = null,
                ["dryRun"] = false,
                ["options"] = new JsonObject { ["kind"] = "CreateOptions", ["apiVersion"] = "meta.k8s.io/v1" },
            },
        };
    }

    private static JsonObject Pod(int minor)
    {
        var container = new JsonObject
        {
            ["name"] = "web",
            ["image"] = "example/web:1.0",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080, ["protocol"] = "TCP" }),
            ["readinessProbe"] = new JsonObject
            {
                ["httpGet"] = new JsonObject { ["path"] = "/ready", ["port"] = "http", ["scheme"] = "HTTP" },
                ["timeoutSeconds"] = 1, ["periodSeconds"] = 10, ["successThreshold"] = 1, ["failureThreshold"] = 3,
            },
            ["resources"] = new JsonObject(),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "kube-api-access-x7k2p", ["readOnly"] = true, ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount" }),
            ["terminationMessagePath"] = "/dev/termination-log",
            ["terminationMessagePolicy"] = "File",
            ["imagePullPolicy"] = "IfNotPresent",
        };
        if (minor >= 33)
        {
            container["resizePolicy"] = new JsonArray(
                new JsonObject { ["resourceName"] = "cpu", ["restartPolicy"] = "NotRequired" },
                new JsonObject { ["resourceName"] = "memory", ["restartPolicy"] = "NotRequired" });
        }

        return new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["generateName"] = "web-6d9f7c8b5-",
                ["namespace"] = "shop",
                ["creationTimestamp"] = null,
                ["labels"] = new JsonObject { ["app"] = "web", ["pod-template-hash"] = "6d9f7c8b5" },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "web-6d9f7c8b5",
                    ["uid"] = "0e4c9a0e-1f6d-4d7e-9b0a-7c3f5e2d1a44", ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
                ["managedFields"] = new JsonArray(new JsonObject
                {
                    ["manager"] = "kube-controller-manager", ["operation"] = "Update", ["apiVersion"] = "v1",
                    ["time"] = "2026-12-06T15:00:00Z", ["fieldsType"] = "FieldsV1",
                    ["fieldsV1"] = new JsonObject { ["f:metadata"] = new JsonObject { ["f:generateName"] = new JsonObject() } },
                }),
            },
            ["spec"] = new JsonObject
            {
                ["volumes"] = new JsonArray(new JsonObject
                {
                    ["name"] = "kube-api-access-x7k2p",
                    ["projected"] = new JsonObject
                    {
                        ["sources"] = new JsonArray(
                            new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                            new JsonObject { ["configMap"] = new JsonObject { ["name"] = "kube-root-ca.crt", ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }) } },
                            new JsonObject { ["downwardAPI"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["path"] = "namespace", ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" } }) } }),
                        ["defaultMode"] = 420,
                    },
                }),
                ["containers"] = new JsonArray(container),
                ["restartPolicy"] = "Always",
                ["terminationGracePeriodSeconds"] = 30,
                ["dnsPolicy"] = "ClusterFirst",
                ["serviceAccountName"] = "web",
                ["serviceAccount"] = "web",
                ["securityContext"] = new JsonObject(),
                ["schedulerName"] = "default-scheduler",
                ["tolerations"] = new JsonArray(
                    new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 },
                    new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 }),
                ["priority"] = 0,
                ["enableServiceLinks"] = true,
                ["preemptionPolicy"] = "PreemptLowerPriority",
            },
            ["status"] = new JsonObject(),
        };
    }
}
