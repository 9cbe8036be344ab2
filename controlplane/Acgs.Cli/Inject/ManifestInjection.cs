// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Cli.Inject;

/// <summary>The injected YAML and one report line per Pod or workload (what was done and why).</summary>
internal sealed record ManifestInjection(string Yaml, IReadOnlyList<string> Report);
