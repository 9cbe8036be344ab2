// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.Text;
using Acgs.Contracts.BusWire;

namespace Acgs.Bus.Client;

public sealed partial class BusClient
{
    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var fatal = ProcessFrames(ref buffer);
                _reader.AdvanceTo(buffer.Start, buffer.End);

                if (fatal || result.IsCompleted)
                {
                    Flush();
                    break;
                }

                if (_ackDelayTicks == 0)
                {
                    // The acknowledgements of this read batch, in one write on this thread.
                    Flush();
                }
                else
                {
                    FlushAcksIfDue();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Closed.
        }
        finally
        {
            lock (_writeLock)
            {
                _closed = true;
            }

            _registered.TrySetResult(BusErrorCode.Internal);
            foreach (var pending in _pending)
            {
                if (_pending.TryRemove(pending.Key, out var answer))
                {
                    answer.TrySetException(new BusClientException("the bus connection closed before the message was answered"));
                }
            }

            while (_pings.TryDequeue(out var ping))
            {
                ping.TrySetException(new BusClientException("the bus connection closed"));
            }

            _deliveries.Writer.TryComplete();
            await _reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private bool ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            var status = BusFrameReader.TryReadFrame(buffer, out var header, out var frame, out _);
            if (status == BusFrameReadStatus.Incomplete)
            {
                return false;
            }

            if (status == BusFrameReadStatus.Fatal)
            {
                return true;
            }

            var body = frame.Slice(BusWireConstants.HeaderSize);
            if (body.IsSingleSegment)
            {
                HandleFrame(header, body.FirstSpan);
            }
            else
            {
                var copy = ArrayPool<byte>.Shared.Rent(header.BodyLength);
                body.CopyTo(copy);
                HandleFrame(header, copy.AsSpan(0, header.BodyLength));
                ArrayPool<byte>.Shared.Return(copy);
            }

            buffer = buffer.Slice(frame.End);
        }
    }

    private void HandleFrame(BusFrameHeader header, ReadOnlySpan<byte> body)
    {
        switch (header.Type)
        {
            case BusFrameType.Deliver when BusFrameParser.ParseMessage(body, header.Flags, out var message) == BusErrorCode.None:
                if (Options.OnDelivery is { } handler)
                {
                    handler(message, header.Flags);
                }
                else
                {
                    _deliveries.Writer.TryWrite(BusDelivery.From(message, header.Flags));
                }

                if (Options.AutoAck)
                {
                    lock (_writeLock)
                    {
                        if (!_closed)
                        {
                            BusFrameWriter.WriteIdFrame(_buffer, BusFrameType.Ack, message.MessageId);
                            if (_pendingAcks++ == 0)
                            {
                                _firstPendingAck = Stopwatch.GetTimestamp();
                            }
                        }
                    }
                }

                break;
            case BusFrameType.Ack when BusFrameParser.ParseId(body, out var id) == BusErrorCode.None:
                Answer(id, BusErrorCode.None, header.Flags);
                break;
            case BusFrameType.Error when BusFrameParser.ParseError(body, out var error) == BusErrorCode.None:
                if (error.MessageId.IsEmpty)
                {
                    _registered.TrySetResult(error.Code);
                    LastConnectionError = error.Code;
                }
                else
                {
                    Answer(error.MessageId, error.Code, BusFrameFlagBits.None);
                }

                break;
            case BusFrameType.RegisterAck:
                _traceAccepted = Options.TraceContext && (header.Flags & BusFrameFlagBits.TraceContext) != 0;
                _registered.TrySetResult(BusErrorCode.None);
                break;
            case BusFrameType.Pong:
                if (_pings.TryDequeue(out var pong))
                {
                    pong.TrySetResult(true);
                }

                break;
            case BusFrameType.Ping when BusFrameParser.ParsePing(body, out var value) == BusErrorCode.None:
                lock (_writeLock)
                {
                    if (!_closed)
                    {
                        BusFrameWriter.WritePing(_buffer, BusFrameType.Pong, value);
                    }
                }

                ScheduleWrite();
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// With <see cref="BusClientOptions.AckDelay"/>: writes the held acks when the delay since the first of
    /// them has passed or enough are held, else makes sure <see cref="BusAckFlusher"/> watches them (it writes
    /// them if no later read batch does first, when traffic stops).
    /// </summary>
    private void FlushAcksIfDue()
    {
        bool watch = false;
        bool due = false;
        lock (_writeLock)
        {
            if (_pendingAcks == 0 || _closed)
            {
                return;
            }

            if (_pendingAcks >= Options.AckMaxPending || Stopwatch.GetTimestamp() - _firstPendingAck >= _ackDelayTicks)
            {
                due = true;
            }
            else if (!_ackWatched)
            {
                watch = true;
                _ackWatched = true;
            }
        }

        if (due)
        {
            Flush();
        }
        else if (watch)
        {
            BusAckFlusher.Register(this);
        }
    }

    /// <summary>
    /// Called by <see cref="BusAckFlusher"/>: writes the held acks when they are due. Returns when to look
    /// again (Stopwatch ticks), or <see cref="long.MaxValue"/> when none are held (or the connection is
    /// closed) and the flusher stops watching this client. While read batches keep writing the acks before
    /// the flusher finds them due (traffic flows), it looks less often: after 2, 4, then 8 times the delay
    /// (<see cref="MaxAckBackoff"/>), so a steady stream costs it one wake-up per 8 delays; the first time it
    /// has to write them itself it is back to once per delay.
    /// </summary>
    internal long FlushHeldAcksWhenDue()
    {
        lock (_writeLock)
        {
            if (_closed || _pendingAcks == 0)
            {
                _ackWatched = false;
                _ackBackoff = 0;
                return long.MaxValue;
            }

            if (Stopwatch.GetTimestamp() - _firstPendingAck < _ackDelayTicks)
            {
                // Written by a read batch since the last look; these are newer.
                _ackBackoff = Math.Min(_ackBackoff + 1, MaxAckBackoff);
                return _firstPendingAck + (_ackDelayTicks << _ackBackoff);
            }

            _ackBackoff = 0;
        }

        Flush();
        lock (_writeLock)
        {
            if (_closed || _pendingAcks == 0)
            {
                _ackWatched = false;
                return long.MaxValue;
            }

            // A write in progress takes the held acks with it (and resets the count); look again after a delay.
            return Stopwatch.GetTimestamp() + _ackDelayTicks;
        }
    }

    /// <summary>The last connection-level error the sidecar sent (none if there was none).</summary>
    public BusErrorCode LastConnectionError { get; private set; }

    private void Answer(ReadOnlySpan<byte> messageId, BusErrorCode code, BusFrameFlagBits flags)
    {
        if (!_pending.IsEmpty)
        {
            Span<char> chars = stackalloc char[messageId.Length];
            var n = Encoding.UTF8.GetChars(messageId, chars);
            if (_pendingLookup.TryRemove(chars[..n], out _, out var answer))
            {
                answer.TrySetResult(new BusSendResult(code, (flags & BusFrameFlagBits.Stored) != 0));
                return;
            }
        }

        Options.OnReply?.Invoke(messageId, code, flags);
    }
}
