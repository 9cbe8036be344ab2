// Constitutional Hash: cdd01ef066bc6cf2

using System.Threading.Tasks.Sources;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The frames waiting for one connection's writer: a bounded control queue (acks, errors, pongs) and
/// four bounded message lanes drained CRITICAL, HIGH, NORMAL, LOW. Many producers, one consumer; the
/// consumer waits on a reusable <see cref="IValueTaskSource"/>, so waiting allocates nothing.
/// The connection's reader stops reading while the control queue is at least half full
/// (<see cref="ControlPressure"/>, <see cref="WaitControlDrainedAsync"/>); a full control queue refuses
/// (<see cref="ControlEnqueueResult.Full"/>) and the owner closes the connection.
/// </summary>
internal sealed class PriorityOutbox : IValueTaskSource
{
    private const int Lanes = 4;
    private readonly Lock _lock = new();
    private readonly RingQueue<RoutedMessage>[] _lanes = new RingQueue<RoutedMessage>[Lanes];
    private readonly RingQueue<OutboxItem> _control;
    private readonly int _pauseAt;
    private readonly int _resumeAt;
    private ManualResetValueTaskSourceCore<bool> _core;
    private TaskCompletionSource? _drained;
    private bool _waiting;
    private bool _signaled;
    private bool _closed;
    private bool _accepting = true;
    private int _dataCount;
    private int _controlCount;

    public PriorityOutbox(int laneCapacity)
        : this(laneCapacity, BusOptions.Default.ControlCapacity)
    {
    }

    public PriorityOutbox(int laneCapacity, int controlCapacity)
    {
        for (var i = 0; i < Lanes; i++)
        {
            _lanes[i] = new RingQueue<RoutedMessage>(laneCapacity, laneCapacity);
        }

        _control = new RingQueue<OutboxItem>(64, controlCapacity);
        _pauseAt = Math.Max(1, _control.Capacity / 2);
        _resumeAt = _pauseAt / 2;
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>Control frames queued.</summary>
    public int ControlCount => Volatile.Read(ref _controlCount);

    /// <summary>The most control frames queued at once.</summary>
    public int ControlCapacity => _control.Capacity;

    /// <summary>Whether the control queue is at least half full: the connection's reader should stop reading.</summary>
    public bool ControlPressure => Volatile.Read(ref _controlCount) >= _pauseAt;

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
            if (_closed || !_accepting)
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
            WakeWriter();
        }

        return EnqueueResult.Enqueued;
    }

    /// <summary>Queues a control frame: refused when the connection is closing or the control queue is full.</summary>
    public ControlEnqueueResult TryEnqueueControl(in OutboxItem item)
    {
        bool wake;
        lock (_lock)
        {
            if (_closed)
            {
                return ControlEnqueueResult.Closed;
            }

            if (!_control.TryEnqueue(item))
            {
                return ControlEnqueueResult.Full;
            }

            _controlCount++;
            wake = SignalLocked();
        }

        if (wake)
        {
            WakeWriter();
        }

        return ControlEnqueueResult.Enqueued;
    }

    /// <summary>
    /// Closes the outbox after queuing <paramref name="last"/> as its final frame, even when the control
    /// queue is full (the slot is taken from the oldest control frame, which is returned in <paramref name="evicted"/>).
    /// False when the outbox was closed already.
    /// </summary>
    public bool CloseWith(in OutboxItem last, out OutboxItem evicted)
    {
        evicted = default;
        bool wake;
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            if (!_control.TryEnqueue(last))
            {
                _control.TryDequeue(out evicted);
                _control.TryEnqueue(last);
            }
            else
            {
                _controlCount++;
            }

            _closed = true;
            wake = SignalLocked();
        }

        if (wake)
        {
            WakeWriter();
        }

        ReleaseDrainWaiter();
        return true;
    }

    /// <summary>Refuses new messages from now on (<see cref="EnqueueResult.Closed"/>); queued ones are still written.</summary>
    public void StopAccepting()
    {
        lock (_lock)
        {
            _accepting = false;
        }
    }

    /// <summary>Completes when the control queue drained to a quarter of its capacity, or the outbox closed.</summary>
    public Task WaitControlDrainedAsync()
    {
        lock (_lock)
        {
            if (_closed || _controlCount <= _resumeAt)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
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
            WakeWriter();
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
            WakeWriter();
        }

        ReleaseDrainWaiter();
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
        TaskCompletionSource? drained = null;
        lock (_lock)
        {
            while (n < batch.Length && _control.TryDequeue(out var item))
            {
                batch[n++] = item;
            }

            _controlCount -= n;
            if (_drained is not null && _controlCount <= _resumeAt)
            {
                drained = _drained;
                _drained = null;
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

        drained?.TrySetResult();
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

            _controlCount = 0;
        }
    }

    /// <summary>Completes the writer's pending wait (a wake-up that <see cref="BusWriteBatch"/> deferred).</summary>
    internal void CompleteWait() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void ReleaseDrainWaiter()
    {
        TaskCompletionSource? drained;
        lock (_lock)
        {
            drained = _drained;
            _drained = null;
        }

        drained?.TrySetResult();
    }

    /// <summary>Wakes the waiting writer now, or at the end of the read batch open on this thread.</summary>
    private void WakeWriter()
    {
        if (!BusWriteBatch.TryDefer(this))
        {
            _core.SetResult(true);
        }
    }

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
