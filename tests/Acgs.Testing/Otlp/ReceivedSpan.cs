// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Testing;

/// <summary>A span as the test OTLP receiver decoded it (ids in lowercase hex; an empty parent id for a root).</summary>
public sealed record ReceivedSpan(
    string Service, string TraceId, string SpanId, string ParentSpanId, string TraceState, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes)
{
    public const int KindServer = 2;
    public const int KindClient = 3;

    public override string ToString() => $"{Service}/{Name} {TraceId}:{SpanId} <- {ParentSpanId}";
}
