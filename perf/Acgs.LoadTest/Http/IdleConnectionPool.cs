// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Http;

/// <summary>
/// The idle connections of a <see cref="RawHttpClient"/>, taken in <see cref="ConnectionReuse"/> order.
/// A lock around a <see cref="Stack{T}"/> or <see cref="Queue{T}"/>: no allocation per request once the
/// collection has grown to the pool's peak size.
/// </summary>
/// <typeparam name="T">The connection type.</typeparam>
internal sealed class IdleConnectionPool<T>
    where T : class
{
    private readonly Lock _gate = new();
    private readonly Stack<T>? _stack;
    private readonly Queue<T>? _queue;

    public IdleConnectionPool(ConnectionReuse reuse)
    {
        if (reuse == ConnectionReuse.Oldest)
        {
            _queue = new Queue<T>();
        }
        else
        {
            _stack = new Stack<T>();
        }
    }

    /// <summary>Idle connections now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _stack?.Count ?? _queue!.Count;
            }
        }
    }

    /// <summary>Returns a connection to the pool.</summary>
    public void Return(T connection)
    {
        lock (_gate)
        {
            if (_stack is not null)
            {
                _stack.Push(connection);
            }
            else
            {
                _queue!.Enqueue(connection);
            }
        }
    }

    /// <summary>Takes the next connection in reuse order, if any is idle.</summary>
    public bool TryTake(out T connection)
    {
        lock (_gate)
        {
            return _stack is not null ? _stack.TryPop(out connection!) : _queue!.TryDequeue(out connection!);
        }
    }
}
