// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Bus;

/// <summary>
/// A bounded FIFO on a circular array (not thread-safe: the owner locks). It starts at <c>initial</c>
/// slots and, when that is smaller than <c>capacity</c>, doubles up to <c>capacity</c> (growth is
/// amortised: after warm-up it allocates nothing).
/// </summary>
internal sealed class RingQueue<T>
{
    private readonly int _capacity;
    private T[] _items;
    private int _head;
    private int _count;

    public RingQueue(int initial, int capacity)
    {
        _capacity = Math.Max(1, capacity);
        _items = new T[Math.Clamp(initial, 1, _capacity)];
    }

    public int Count => _count;

    /// <summary>The most items the queue holds.</summary>
    public int Capacity => _capacity;

    public bool TryEnqueue(T item)
    {
        if (_count == _items.Length)
        {
            if (_items.Length >= _capacity)
            {
                return false;
            }

            var bigger = new T[Math.Min(_capacity, _items.Length * 2)];
            for (var i = 0; i < _count; i++)
            {
                bigger[i] = _items[(_head + i) % _items.Length];
            }

            _items = bigger;
            _head = 0;
        }

        _items[(_head + _count) % _items.Length] = item;
        _count++;
        return true;
    }

    public bool TryDequeue(out T item)
    {
        if (_count == 0)
        {
            item = default!;
            return false;
        }

        item = _items[_head];
        _items[_head] = default!;
        _head = (_head + 1) % _items.Length;
        _count--;
        return true;
    }
}
