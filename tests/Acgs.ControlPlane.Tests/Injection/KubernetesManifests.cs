// Constitutional Hash: cdd01ef066bc6cf2

using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>The kustomize manifests under deploy/k8s, loaded into the Kubernetes object model.</summary>
internal sealed class KubernetesManifests
{
    private KubernetesManifests(string directory, IReadOnlyList<string> resources, IReadOnlyList<object> objects)
    {
        Directory = directory;
        Resources = resources;
        Objects = objects;
    }

    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Acgs.sln")))
                {
                    return Path.Combine(dir.FullName, "deploy", "k8s");
                }
            }

            throw new InvalidOperationException("no Acgs.sln above " + AppContext.BaseDirectory);
        }
    }

    public string Directory { get; }

    /// <summary>The files the kustomization lists, as full paths.</summary>
    public IReadOnlyList<string> Resources { get; }

    public IReadOnlyList<object> Objects { get; }

    /// <summary>Loads the kustomization in <paramref name="relative"/> (under deploy/k8s) and every resource it lists.</summary>
    public static KubernetesManifests Load(string relative = ".")
    {
        var directory = Path.GetFullPath(Path.Combine(Root, relative));
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(directory, "kustomization.yaml"))));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var resources = ((YamlSequenceNode)root.Children[new YamlScalarNode("resources")]).Children
            .Select(node => Path.Combine(directory, ((YamlScalarNode)node).Value!)).ToList();
        var objects = new List<object>();
        foreach (var file in resources)
        {
            objects.AddRange(KubernetesYaml.LoadAllFromString(File.ReadAllText(file)));
        }

        return new KubernetesManifests(directory, resources, objects);
    }

    public T Single<T>(string name) => Objects.OfType<T>().Single(o => ((IMetadata<V1ObjectMeta>)o!).Metadata.Name == name);

    public IEnumerable<T> All<T>() => Objects.OfType<T>();
}
