// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// The closed windows not yet accepted by the control plane, oldest first, at most <c>capacity</c>: adding past it drops
/// the oldest (counted). A window leaves only when a batch holding it was accepted, so a window is resent until then —
/// with the same id, which the control plane stores once.
/// </summary>
internal sealed class MeteringBuffer
{
    private readonly LinkedList<MeteringWindow> _windows = new();
    private readonly int _capacity;
    private readonly MeteringMetrics _metrics;

    public MeteringBuffer(int capacity, MeteringMetrics metrics)
    {
        _capacity = capacity;
        _metrics = metrics;
    }

    /// <summary>Windows held.</summary>
    public int Count
    {
        get
        {
            lock (_windows)
            {
                return _windows.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="window"/>; drops (and counts) the oldest past the capacity.</summary>
    public void Add(MeteringWindow window)
    {
        lock (_windows)
        {
            _windows.AddLast(window);
            while (_windows.Count > _capacity)
            {
                _windows.RemoveFirst();
                _metrics.Dropped.Inc();
            }

            _metrics.Buffered.Set(_windows.Count);
        }
    }

    /// <summary>The oldest windows, at most <paramref name="max"/> (left in the buffer).</summary>
    public List<MeteringWindow> Peek(int max)
    {
        lock (_windows)
        {
            var batch = new List<MeteringWindow>(Math.Min(max, _windows.Count));
            for (var node = _windows.First; node is not null && batch.Count < max; node = node.Next)
            {
                batch.Add(node.Value);
            }

            return batch;
        }
    }

    /// <summary>Removes the accepted <paramref name="sent"/> windows still held (a full buffer may have dropped some meanwhile), counted as shipped.</summary>
    public void Remove(List<MeteringWindow> sent)
    {
        lock (_windows)
        {
            foreach (var window in sent)
            {
                if (_windows.Remove(window))
                {
                    _metrics.Shipped.Inc();
                }
            }

            _metrics.Buffered.Set(_windows.Count);
        }
    }
}
