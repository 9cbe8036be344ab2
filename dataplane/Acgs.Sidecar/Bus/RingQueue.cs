// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Bus;

/// <summary>A FIFO on a circular array (not thread-safe: the owner locks). Grows only when <c>growable</c>.</summary>
internal sealed class RingQueue<T>
{
    private readonly bool _growable;
    private T[] _items;
    private int _head;
    private int _count;

    public RingQueue(int capacity, bool growable)
    {
        _items = new T[Math.Max(1, capacity)];
        _growable = growable;
    }

    public int Count => _count;

    public bool TryEnqueue(T item)
    {
        if (_count == _items.Length)
        {
            if (!_growable)
            {
                return false;
            }

            var bigger = new T[_items.Length * 2];
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
