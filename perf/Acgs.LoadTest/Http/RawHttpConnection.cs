// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Acgs.LoadTest.Scenarios;

namespace Acgs.LoadTest.Http;

/// <summary>One keep-alive connection: writes pre-encoded request bytes and reads the response
/// (Content-Length, chunked, or until close) into a reused buffer without allocating per request.</summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private CancellationTokenSource _timeout = new();
    private int _start;
    private int _end;

    public RawHttpConnection(int bufferSize)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _buffer = GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);
    }

    /// <summary>False once the connection failed or the server asked to close it.</summary>
    public bool Reusable { get; private set; } = true;

    /// <summary>Timestamp (of the client's <see cref="TimeProvider"/>) at which the connection went idle.</summary>
    public long IdleSince { get; set; }

    public ValueTask ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken) => _socket.ConnectAsync(endpoint, cancellationToken);

    /// <summary>One exchange under the per-request timeout. The run's cancellation is not linked per
    /// request (a registration per request costs CPU): a cancelled run stops dispatching, and
    /// in-flight requests end with their response or their timeout.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<StepResult> ExchangeAsync(ReadOnlyMemory<byte> request, TimeSpan timeout)
    {
        try
        {
            _timeout.CancelAfter(timeout);
            var token = _timeout.Token;
            while (!request.IsEmpty)
            {
                var sent = await _socket.SendAsync(request, SocketFlags.None, token).ConfigureAwait(false);
                request = request[sent..];
            }

            var result = await ReadResponseAsync(token).ConfigureAwait(false);
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }

            return result;
        }
#pragma warning disable CA1031 // any failure of the exchange is a failed request on a dead connection
        catch (Exception)
#pragma warning restore CA1031
        {
            Reusable = false;
            return StepResult.Fail();
        }
    }

    public void Dispose()
    {
        Reusable = false;
        _socket.Dispose();
        _timeout.Dispose();
    }

    private async ValueTask<StepResult> ReadResponseAsync(CancellationToken token)
    {
        _start = 0;
        _end = 0;
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillOrThrowAsync(token).ConfigureAwait(false);
        }

        if (!ResponseHead.TryParse(_buffer.AsSpan(_start, headEnd), out var head))
        {
            throw new InvalidDataException("malformed response head");
        }

        long bytes = headEnd + 4;
        _start += headEnd + 4;
        var status = head.StatusCode;
        if (status is < 200 or 204 or 304)
        {
            // no body
        }
        else if (head.Chunked)
        {
            bytes += await ReadChunkedAsync(token).ConfigureAwait(false);
        }
        else if (head.ContentLength >= 0)
        {
            await SkipAsync(head.ContentLength, token).ConfigureAwait(false);
            bytes += head.ContentLength;
        }
        else
        {
            bytes += _end - _start;
            while (await FillAsync(token).ConfigureAwait(false))
            {
                bytes += _end - _start;
                _start = _end;
            }

            Reusable = false;
        }

        if (head.Close)
        {
            Reusable = false;
        }

        return new StepResult(status is >= 200 and < 400, status, bytes);
    }

    private async ValueTask<long> ReadChunkedAsync(CancellationToken token)
    {
        long total = 0;
        while (true)
        {
            var lineEnd = await ReadLineAsync(token).ConfigureAwait(false);
            var line = _buffer.AsSpan(_start, lineEnd);
            var semicolon = line.IndexOf((byte)';');
            if (semicolon >= 0)
            {
                line = line[..semicolon];
            }

            if (!Utf8Parser.TryParse(line.Trim((byte)' '), out long size, out _, 'X') || size < 0)
            {
                throw new InvalidDataException("malformed chunk size");
            }

            _start += lineEnd + 2;
            total += lineEnd + 2;
            if (size == 0)
            {
                while (true)
                {
                    var trailerEnd = await ReadLineAsync(token).ConfigureAwait(false);
                    _start += trailerEnd + 2;
                    total += trailerEnd + 2;
                    if (trailerEnd == 0)
                    {
                        return total;
                    }
                }
            }

            await SkipAsync(size + 2, token).ConfigureAwait(false);
            total += size + 2;
        }
    }

    /// <summary>Ensures a CRLF-terminated line is buffered at <see cref="_start"/>; returns its length.</summary>
    private async ValueTask<int> ReadLineAsync(CancellationToken token)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            await FillOrThrowAsync(token).ConfigureAwait(false);
        }

        return end;
    }

    private async ValueTask SkipAsync(long count, CancellationToken token)
    {
        while (true)
        {
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
            if (count == 0)
            {
                return;
            }

            _start = 0;
            _end = 0;
            await FillOrThrowAsync(token).ConfigureAwait(false);
        }
    }

    private async ValueTask FillOrThrowAsync(CancellationToken token)
    {
        if (!await FillAsync(token).ConfigureAwait(false))
        {
            throw new EndOfStreamException("connection closed mid-response");
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken token)
    {
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start == 0)
            {
                throw new InvalidDataException("response line or head larger than the buffer");
            }

            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, token).ConfigureAwait(false);
        _end += n;
        return n > 0;
    }
}
