// Constitutional Hash: cdd01ef066bc6cf2

using System.Threading.Tasks.Sources;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The frames waiting for one connection's writer: a control queue (acks, errors, pongs: never
/// refused) and four bounded message lanes drained CRITICAL, HIGH, NORMAL, LOW. Many producers, one
/// consumer; the consumer waits on a reusable <see cref="IValueTaskSource"/>, so waiting allocates nothing.
/// </summary>
internal sealed class PriorityOutbox : IValueTaskSource
{
    private const int Lanes = 4;
    private readonly Lock _lock = new();
    private readonly RingQueue<RoutedMessage>[] _lanes = new RingQueue<RoutedMessage>[Lanes];
    private readonly RingQueue<OutboxItem> _control = new(64, growable: true);
    private ManualResetValueTaskSourceCore<bool> _core;
    private bool _waiting;
    private bool _signaled;
    private bool _closed;
    private int _dataCount;

    public PriorityOutbox(int laneCapacity)
    {
        for (var i = 0; i < Lanes; i++)
        {
            _lanes[i] = new RingQueue<RoutedMessage>(laneCapacity, growable: false);
        }

        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>Messages queued in all lanes.</summary>
    public int DataCount => Volatile.Read(ref _dataCount);

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Queues a message on the lane of its priority.</summary>
    public EnqueueResult TryEnqueue(RoutedMessage message)
    {
        bool wake;
        lock (_lock)
        {
            if (_closed)
            {
                return EnqueueResult.Closed;
            }

            if (!_lanes[(int)message.Priority & 3].TryEnqueue(message))
            {
                return EnqueueResult.Full;
            }

            _dataCount++;
            wake = SignalLocked();
        }

        if (wake)
        {
            _core.SetResult(true);
        }

        return EnqueueResult.Enqueued;
    }

    /// <summary>Queues a control frame; false when the connection is closing.</summary>
    public bool TryEnqueueControl(in OutboxItem item)
    {
        bool wake;
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _control.TryEnqueue(item);
            wake = SignalLocked();
        }

        if (wake)
        {
            _core.SetResult(true);
        }

        return true;
    }

    /// <summary>Wakes the writer (e.g. its in-flight budget grew).</summary>
    public void Wake()
    {
        bool wake;
        lock (_lock)
        {
            wake = SignalLocked();
        }

        if (wake)
        {
            _core.SetResult(true);
        }
    }

    /// <summary>Stops accepting frames and wakes the writer. Frames already queued stay for <see cref="TakeBatch"/>.</summary>
    public void Close()
    {
        bool wake;
        lock (_lock)
        {
            _closed = true;
            wake = SignalLocked();
        }

        if (wake)
        {
            _core.SetResult(true);
        }
    }

    /// <summary>Completes when there may be work (or the outbox closed). One waiter at a time.</summary>
    public ValueTask WaitAsync(int dataBudget)
    {
        lock (_lock)
        {
            if (_signaled || _closed || _control.Count > 0 || (dataBudget > 0 && _dataCount > 0))
            {
                _signaled = false;
                return ValueTask.CompletedTask;
            }

            _core.Reset();
            _waiting = true;
            return new ValueTask(this, _core.Version);
        }
    }

    /// <summary>
    /// Moves up to <paramref name="batch"/>.Length frames out: control frames first, then at most
    /// <paramref name="dataBudget"/> messages by priority. Returns the count and how many were messages.
    /// </summary>
    public int TakeBatch(Span<OutboxItem> batch, int dataBudget, out int messages)
    {
        var n = 0;
        messages = 0;
        lock (_lock)
        {
            while (n < batch.Length && _control.TryDequeue(out var item))
            {
                batch[n++] = item;
            }

            for (var lane = Lanes - 1; lane >= 0 && n < batch.Length && messages < dataBudget; lane--)
            {
                var queue = _lanes[lane];
                while (n < batch.Length && messages < dataBudget && queue.TryDequeue(out var message))
                {
                    batch[n++] = new OutboxItem(default, default, default, message, null, 0);
                    messages++;
                }
            }

            _dataCount -= messages;
        }

        return n;
    }

    /// <summary>Removes every queued message (after the writer stopped).</summary>
    public void DrainMessages(List<RoutedMessage> into)
    {
        lock (_lock)
        {
            for (var lane = Lanes - 1; lane >= 0; lane--)
            {
                while (_lanes[lane].TryDequeue(out var message))
                {
                    into.Add(message);
                }
            }

            _dataCount = 0;
        }
    }

    /// <summary>Removes every queued control frame (after the writer stopped).</summary>
    public void DrainControl(List<OutboxItem> into)
    {
        lock (_lock)
        {
            while (_control.TryDequeue(out var item))
            {
                into.Add(item);
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private bool SignalLocked()
    {
        if (_waiting)
        {
            _waiting = false;
            return true;
        }

        _signaled = true;
        return false;
    }
}
