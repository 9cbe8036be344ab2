// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>The control plane's answer to a call that returns a contract: the status and the value read from a 2xx body.</summary>
/// <typeparam name="T">The response contract.</typeparam>
/// <param name="Answer">Status and, for a refusal, the problem text.</param>
/// <param name="Value">The body read through the source-generated context on a 2xx answer, else default.</param>
internal readonly record struct ControlPlaneAnswerOf<T>(ControlPlaneAnswer Answer, T? Value);
