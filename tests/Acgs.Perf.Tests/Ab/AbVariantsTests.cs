// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Ab;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Tests.Ab;

public sealed class AbVariantsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acgs-perf-ab-").FullName;

    public AbVariantsTests() => File.WriteAllText(Path.Combine(_root, "Acgs.sln"), "");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Parse_NameAndPairs_VariantWithEnvironmentInOrder()
    {
        var errors = new List<string>();

        var v = AbVariants.Parse("sampled:OTEL_EXPORTER_OTLP_ENDPOINT={otlp},OTEL_TRACES_SAMPLER_ARG=0.5", errors);

        Assert.Empty(errors);
        Assert.NotNull(v);
        Assert.Equal("sampled", v.Name);
        Assert.Equal(["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_TRACES_SAMPLER_ARG"], v.Environment.Select(kv => kv.Key));
        Assert.Equal("0.5", v.Environment[1].Value);
        Assert.True(v.NeedsOtlpSink);
        Assert.Null(v.Baseline);
    }

    [Fact]
    public void Parse_NameAlone_VariantWithoutEnvironment()
    {
        var errors = new List<string>();

        var v = AbVariants.Parse("plain", errors);

        Assert.Empty(errors);
        Assert.Empty(v!.Environment);
        Assert.False(v.NeedsOtlpSink);
        Assert.Equal("(none)", v.Describe());
    }

    [Theory]
    [InlineData("a:NOEQUALS")]
    [InlineData("a:=value")]
    [InlineData(":K=V")]
    [InlineData("bad name:K=V")]
    public void Parse_Malformed_NullAndOneError(string spec)
    {
        var errors = new List<string>();

        var v = AbVariants.Parse(spec, errors);

        Assert.Null(v);
        Assert.Single(errors);
    }

    [Fact]
    public void Resolve_OtlpPlaceholder_ReplacedBySinkAddressWithoutTrailingSlash()
    {
        var v = AbVariants.Preset("tracing")![1];

        var env = v.Resolve(OtlpSink.BaseAddress(4318));

        Assert.Equal("http://127.0.0.1:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("parentbased_traceidratio", env["OTEL_TRACES_SAMPLER"]);
        Assert.Equal("0.01", env["OTEL_TRACES_SAMPLER_ARG"]);
    }

    [Fact]
    public void SettingsParse_AbWithoutVariants_PresetAllWithBaselinesAndGoals()
    {
        var (s, errors) = PerfSettings.Parse(["ab", "--root", _root]);

        Assert.Empty(errors);
        Assert.Equal(PerfMode.Ab, s!.Mode);
        Assert.Equal(["metering-off", "default", "tracing-1pct", "tracing-100pct"], s.Variants.Select(v => v.Name));
        Assert.Equal([null, "metering-off", "default", "default"], s.Variants.Select(v => v.Baseline));
        Assert.Equal([null, 1.03, 1.05, null], s.Variants.Select(v => v.Goal));
        Assert.Equal("ACGS_METERING=false", s.Variants[0].Describe());
        Assert.Equal("1.0", s.Variants[3].Resolve(null)["OTEL_TRACES_SAMPLER_ARG"]);
    }

    [Theory]
    [InlineData("metering", 2)]
    [InlineData("tracing", 3)]
    public void SettingsParse_Preset_ItsVariantsFirstIsBaseline(string preset, int count)
    {
        var (s, errors) = PerfSettings.Parse(["ab", "--variants", preset, "--root", _root]);

        Assert.Empty(errors);
        Assert.Equal(count, s!.Variants.Count);
        Assert.Null(s.Variants[0].Baseline);
        Assert.All(s.Variants.Skip(1), v => Assert.Equal(s.Variants[0].Name, v.Baseline));
    }

    [Fact]
    public void SettingsParse_CustomVariants_FirstIsBaselineOfTheOthers()
    {
        var (s, errors) = PerfSettings.Parse(["ab", "--variant", "a:X=1", "--variant", "b:X=2", "--variant", "c", "--root", _root]);

        Assert.Empty(errors);
        Assert.Equal([null, "a", "a"], s!.Variants.Select(v => v.Baseline));
        Assert.All(s.Variants, v => Assert.Null(v.Goal));
    }

    [Theory]
    [InlineData("ab", "--variant", "only")]
    [InlineData("ab", "--variants", "nosuch")]
    [InlineData("ab", "--variants", "metering", "--variant", "a", "--variant", "b")]
    [InlineData("ab", "--variant", "a", "--variant", "a")]
    [InlineData("gate", "--variants", "metering")]
    public void SettingsParse_InvalidVariants_NoSettingsAndAnError(params string[] args)
    {
        var (s, errors) = PerfSettings.Parse([.. args, "--root", _root]);

        Assert.Null(s);
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void SettingsParse_OtherMode_NoVariants()
    {
        var (s, errors) = PerfSettings.Parse(["compare", "--root", _root]);

        Assert.Empty(errors);
        Assert.Empty(s!.Variants);
    }
}
