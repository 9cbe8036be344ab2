// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Cli;

/// <summary>The process's streams and environment, passed in so that tests run acgsctl in process.</summary>
internal sealed record CliContext(TextReader In, TextWriter Out, TextWriter Error, Func<string, string?> Environment);
