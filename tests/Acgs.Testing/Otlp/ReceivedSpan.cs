// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Testing;

/// <summary>A span as the test OTLP receiver decoded it (ids in lowercase hex; an empty parent id for a root).</summary>
public sealed record ReceivedSpan(
    string Service, string TraceId, string SpanId, string ParentSpanId, string TraceState, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes)
{
    public const int KindServer = 2;
    public const int KindClient = 3;

    /// <summary>The span's events, in the order the span recorded them.</summary>
    public IReadOnlyList<ReceivedSpanEvent> Events { get; init; } = [];

    public override string ToString() => $"{Service}/{Name} {TraceId}:{SpanId} <- {ParentSpanId}";
}

/// <summary>An event of a <see cref="ReceivedSpan"/>: its name and attributes (values as text).</summary>
public sealed record ReceivedSpanEvent(string Name, IReadOnlyDictionary<string, string> Attributes);
