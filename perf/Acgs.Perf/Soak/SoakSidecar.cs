// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Lab;

namespace Acgs.Perf.Soak;

/// <summary>One sidecar of the soak: its service, process and listeners.</summary>
internal sealed record SoakSidecar(string Service, ChildProcess Process, Uri Inbound, Uri Outbound);
