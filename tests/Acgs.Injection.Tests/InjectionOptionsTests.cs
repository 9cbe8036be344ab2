// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Injection.Tests;

public sealed class InjectionOptionsTests
{
    [Fact]
    public void TryRead_NothingSet_ReturnsValidDefaults()
    {
        Assert.True(InjectionOptions.TryRead(static _ => null, out var options, out var errors), string.Join("; ", errors));

        Assert.Equal("acgs/sidecar:0.1.0", options.Image);
        Assert.Equal("acgs-system", options.MeshNamespace);
        Assert.Equal("100m", options.Resources.CpuRequest);
    }

    [Fact]
    public void TryRead_EverySettingSet_AppliesThem()
    {
        var env = new Dictionary<string, string>
        {
            ["ACGS_INJECT_IMAGE"] = "registry.local/acgs/sidecar:2",
            ["ACGS_INJECT_IMAGE_PULL_POLICY"] = "Always",
            ["ACGS_INJECT_CONTROL_PLANE_URL"] = "https://cp.mesh:8000",
            ["CONSTITUTIONAL_HASH"] = "cdd01ef066bc6cf2",
            ["ACGS_INJECT_MESH_NAMESPACE"] = "mesh",
            ["ACGS_INJECT_EXCLUDED_NAMESPACES"] = "monitoring, logging",
            ["ACGS_INJECT_CPU_LIMIT"] = "none",
            ["ACGS_INJECT_MEMORY_REQUEST"] = "32Mi",
        };

        Assert.True(InjectionOptions.TryRead(name => env.GetValueOrDefault(name), out var options, out var errors), string.Join("; ", errors));

        Assert.Equal("registry.local/acgs/sidecar:2", options.Image);
        Assert.Equal("Always", options.ImagePullPolicy);
        Assert.Equal(new Uri("https://cp.mesh:8000"), options.ControlPlaneUrl);
        Assert.Equal(["monitoring", "logging"], options.ExcludedNamespaces);
        Assert.True(options.IsExcludedNamespace("mesh"));
        Assert.False(options.IsExcludedNamespace("acgs-system"));
        Assert.Null(options.Resources.CpuLimit);
        Assert.Equal("32Mi", options.Resources.MemoryRequest);
    }

    [Fact]
    public void TryRead_ManyInvalidSettings_ReportsEveryErrorAtOnce()
    {
        var env = new Dictionary<string, string>
        {
            ["ACGS_INJECT_IMAGE"] = "has space",
            ["ACGS_INJECT_IMAGE_PULL_POLICY"] = "Sometimes",
            ["ACGS_INJECT_CONTROL_PLANE_URL"] = "ftp://cp",
            ["ACGS_INJECT_CONSTITUTIONAL_HASH"] = "XYZ",
            ["ACGS_INJECT_MESH_NAMESPACE"] = "Mesh_NS",
            ["ACGS_INJECT_EXCLUDED_NAMESPACES"] = "ok,-bad",
            ["ACGS_INJECT_IPTABLES_COMMAND"] = "relative.sh",
            ["ACGS_INJECT_CPU_REQUEST"] = "lots",
            ["ACGS_INJECT_MEMORY_REQUEST"] = "1Gi",
            ["ACGS_INJECT_MEMORY_LIMIT"] = "512Mi",
        };

        Assert.False(InjectionOptions.TryRead(name => env.GetValueOrDefault(name), out _, out var errors));

        foreach (var expected in new[]
        {
            "ACGS_INJECT_IMAGE:", "ACGS_INJECT_IMAGE_PULL_POLICY", "ACGS_INJECT_CONTROL_PLANE_URL", "ACGS_INJECT_CONSTITUTIONAL_HASH",
            "ACGS_INJECT_MESH_NAMESPACE", "'-bad'", "ACGS_INJECT_IPTABLES_COMMAND", "ACGS_INJECT_CPU_REQUEST: must be a Kubernetes quantity (e.g. 100m, 0.5, 128Mi, 1Gi) or 'none' (got 'lots')", "memory request 1Gi exceeds its limit 512Mi",
        })
        {
            Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        }

        Assert.Equal(9, errors.Count);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingProblems()
    {
        var error = Assert.Throws<ArgumentException>(() => new PodPatchBuilder(new InjectionOptions { Image = "", ImagePullPolicy = "x" }));

        Assert.Contains("ACGS_INJECT_IMAGE:", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACGS_INJECT_IMAGE_PULL_POLICY", error.Message, StringComparison.Ordinal);
    }
}
