// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Cli.Tests.Inject;

internal static class Manifests
{
    public const string ConfigMap = """
        # Constitutional Hash: cdd01ef066bc6cf2
        # the app's settings
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-config   # kept as written
          namespace: shop
        data:
          LOG_LEVEL: "info"

        """;

    public const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: example/web:1.0
                  ports: [{containerPort: 8080}]

        """;

    public const string OptedOutPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: batch
          namespace: shop
          annotations: {acgs.io/inject: "false"}
        spec:
          containers: [{name: batch, image: example/batch}]

        """;

    public const string Service = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]

        """;

    public static string Stream(params string[] documents) => string.Join("---\n", documents);
}
