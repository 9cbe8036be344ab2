// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Acgs.Sidecar.Resilience;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Yarp.ReverseProxy.Forwarder;
using System.Runtime.CompilerServices;

namespace Acgs.Sidecar.Forwarding.Direct;

/// <content>
/// One exchange: breaker first (circuit-open 503), then the request over a pooled connection within the cluster's
/// timeout to response headers (a reused connection the upstream closed before answering is replaced by a fresh one
/// once, when no body byte was read yet), the outcome recorded as <see cref="ClusterResilienceHandler"/> records it,
/// then status, headers and body copied to Kestrel's response. Failures before the response answer as YARP's
/// forwarder does (502, 504 on the timeout, 400 for a client body error) with an <see cref="IForwarderErrorFeature"/>;
/// after the response started, the client connection is aborted. One async frame per request, pooled buffers.
/// </content>
internal sealed partial class DirectForwarder
{
    private const int MaxChunkLine = 4096;

    private static readonly Action<object?> CancelSource = static state => ((CancellationTokenSource)state!).Cancel();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ForwardAsync(
        HttpContext context, ClusterResilienceHandler handler, ClusterResilienceHandler.AppliedSettings applied, TimeSpan activityTimeout,
        DirectPool pool, byte[] head, int headLength, Activity? traceParent)
    {
        var timing = context.Features.Get<RequestTiming>();
        if (timing is not null)
        {
            timing.UpstreamStart = Stopwatch.GetTimestamp();
        }

        var permit = handler.DirectAcquire();
        if (!permit.IsAllowed)
        {
            ArrayPool<byte>.Shared.Return(head);
            if (timing is not null)
            {
                timing.UpstreamEnd = Stopwatch.GetTimestamp();
            }

            await CircuitOpenResponse.WriteAsync(context.Response, handler.ProblemBody, handler.Breaker.RetryAfter).ConfigureAwait(false);
            return;
        }

        // From the permit on, everything that can throw is inside the try: its catch gives back the head, the timeout
        // source and the permit (recorded as a failure) and ends the client span, whichever step failed.
        var clientToken = context.RequestAborted;
        var request = context.Request;
        var headRequest = HttpMethods.IsHead(request.Method);
        var contentLength = request.ContentLength ?? 0;
        CancellationTokenSource? source = null;
        CancellationTokenRegistration registration = default;
        CancellationToken token = default;
        Activity? span = null;
        DirectConnection? connection = null;
        var bodyStarted = false;
        Task? sending = null; // a request body still going out while the response is read (the upstream may answer first)
        int headSize;
        try
        {
            source = handler.DirectRentTimeout(applied, activityTimeout);
            registration = clientToken.UnsafeRegister(CancelSource, source);
            token = source.Token;

            // The client span of a traced request (DirectClientSpan): from here, after the breaker let the call through,
            // to the response head or the failure; its context (the parent's when the listener made no span) goes into the head.
            if (traceParent is not null)
            {
                span = DirectClientSpan.Start(request, handler.DirectClusterId, pool);
                headLength = Http1RequestWriter.WriteTraceContext(span ?? traceParent, traceParent.TraceStateString, head, headLength);
            }

            connection = pool.RentIdle();
            while (true)
            {
                connection ??= await pool.ConnectAsync(token).ConfigureAwait(false);
                try
                {
                    try
                    {
                        await SendAsync(connection.Socket, head.AsMemory(0, headLength), token).ConfigureAwait(false);
                    }
                    catch (SocketException) when (connection.Reused)
                    {
                        throw new DirectConnectionClosedException(); // the reused connection was dead before the head went out
                    }

                    if (contentLength > 0)
                    {
                        bodyStarted = true;
                        var body = CopyRequestBodyAsync(request.BodyReader, connection.Socket, contentLength, source, token);
                        if (body.IsCompletedSuccessfully)
                        {
                            body.GetAwaiter().GetResult();
                        }
                        else
                        {
                            sending = body.AsTask();
                        }
                    }

                    headSize = await ReadHeadAsync(connection, headRequest, token).ConfigureAwait(false);
                    break;
                }
                catch (DirectConnectionClosedException) when (connection.Reused && !bodyStarted && !token.IsCancellationRequested)
                {
                    // The upstream closed the idle connection as the request went out: nothing of the request was
                    // consumed, no response byte came, so it is sent again once on a fresh connection (HttpClient does too).
                    connection.Dispose();
                    connection = null; // the loop opens the fresh one (a failed connect is seen as one in the catch below)
                }
            }
        }
#pragma warning disable CA1031 // Every failure is classified and answered as YARP's forwarder answers it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ArrayPool<byte>.Shared.Return(head);
            var connecting = connection is null;
            connection?.Dispose();
            var clientCancelled = clientToken.IsCancellationRequested;
            var timedOut = source?.IsCancellationRequested == true && !clientCancelled;
            if (sending is not null)
            {
                source!.Cancel(); // a body send waiting on a stalled client upload ends now, not at the timeout
                if (await StopSendingAsync(sending).ConfigureAwait(false) is DirectClientBodyException clientError)
                {
                    ex = clientError; // the client's body failed first: the upstream only saw the request cut short
                    timedOut = false; // the source was cancelled by the body failure, not the timer
                }
            }

            if (span is not null)
            {
                DirectClientSpan.Failed(span, ex, timedOut || clientCancelled, connecting, pool);
            }

            registration.Dispose();
            if (source is not null)
            {
                handler.DirectReturnTimeout(source);
            }

            if (timing is not null)
            {
                timing.UpstreamEnd = Stopwatch.GetTimestamp();
            }

            if (handler.DirectRecordFailure(permit, ex, timedOut, clientCancelled, applied))
            {
                await CircuitOpenResponse.WriteAsync(context.Response, handler.ProblemBody, handler.Breaker.RetryAfter).ConfigureAwait(false);
                return;
            }

            Fail(context, ex, timedOut, clientCancelled);
            return;
        }

        ArrayPool<byte>.Shared.Return(head);
        var parsed = connection.Response;
        if (span is not null)
        {
            DirectClientSpan.Answered(span, parsed.Status);
        }

        if (timing is not null)
        {
            timing.UpstreamEnd = Stopwatch.GetTimestamp();
        }

        if (handler.DirectRecordStatus(permit, parsed.Status, applied))
        {
            connection.Dispose(); // this call tripped the breaker: it answers circuit-open, the upstream body is not read
            if (sending is not null)
            {
                source.Cancel();
                await StopSendingAsync(sending).ConfigureAwait(false);
            }

            registration.Dispose();
            handler.DirectReturnTimeout(source);
            await CircuitOpenResponse.WriteAsync(context.Response, handler.ProblemBody, handler.Breaker.RetryAfter).ConfigureAwait(false);
            return;
        }

        var reusable = parsed.KeepAlive;
        try
        {
            CopyHead(context.Response, connection);
            connection.Start += headSize;
            if (parsed.Framing != BodyFraming.None)
            {
                source.CancelAfter(activityTimeout); // from here on YARP's activity timeout, not the time to headers
                var writer = context.Response.BodyWriter;
                reusable &= await CopyBodyAsync(connection, writer, source, activityTimeout, token).ConfigureAwait(false);
                await FlushAsync(writer, token).ConfigureAwait(false); // the last bytes (a body writer over a stream holds them otherwise)
            }
        }
#pragma warning disable CA1031 // A body failure ends the exchange as YARP's does: 502 before the response started, else an abort.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reusable = false;
            var error = clientToken.IsCancellationRequested ? ForwarderError.ResponseBodyCanceled
                : ex is DirectClientBodyException ? ForwarderError.ResponseBodyClient : ForwarderError.ResponseBodyDestination;
            context.Features.Set<IForwarderErrorFeature>(new DirectErrorFeature(error, ex));
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
            else
            {
                context.Abort();
            }
        }

        if (sending is not null && !sending.IsCompletedSuccessfully)
        {
            reusable = false; // the upstream answered before taking the whole body (or the body failed): the connection ends
            connection.Dispose();
            source.Cancel();
            await StopSendingAsync(sending).ConfigureAwait(false);
        }

        registration.Dispose();
        handler.DirectReturnTimeout(source);
        if (reusable && connection.Buffered == 0 && connection.Socket.Available == 0) // bytes beyond the response: never reused
        {
            pool.Return(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    // Waits for a request body send the caller stopped (by closing the connection); its failure, if any.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Exception?> StopSendingAsync(Task? sending)
    {
        if (sending is null)
        {
            return null;
        }

        try
        {
            await sending.ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // Observed and returned: the caller decides what it means.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
    }

    private static void Fail(HttpContext context, Exception error, bool timedOut, bool clientCancelled)
    {
        var (code, status) = timedOut ? (ForwarderError.RequestTimedOut, StatusCodes.Status504GatewayTimeout)
            : clientCancelled ? (ForwarderError.RequestCanceled, StatusCodes.Status502BadGateway)
            : error is DirectClientBodyException ? (ForwarderError.RequestBodyClient, StatusCodes.Status400BadRequest)
            : (ForwarderError.Request, StatusCodes.Status502BadGateway);
        context.Features.Set<IForwarderErrorFeature>(new DirectErrorFeature(code, error));
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = status;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SendAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CopyRequestBodyAsync(
        PipeReader reader, Socket socket, long remaining, CancellationTokenSource source, CancellationToken token)
    {
        while (remaining > 0)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                source.Cancel(); // the wait for the response ends now: the answer is the client's error, not a timeout
                throw new DirectClientBodyException(ex);
            }

            var buffer = result.Buffer;
            if (buffer.Length > remaining)
            {
                buffer = buffer.Slice(0, remaining);
            }

            foreach (var segment in buffer)
            {
                await SendAsync(socket, segment, token).ConfigureAwait(false);
            }

            remaining -= buffer.Length;
            reader.AdvanceTo(buffer.End);
            if (remaining > 0 && (result.IsCompleted || result.IsCanceled))
            {
                source.Cancel();
                throw new DirectClientBodyException(new IOException("The request body ended before its Content-Length."));
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> ReadHeadAsync(DirectConnection connection, bool headRequest, CancellationToken token)
    {
        var received = false;
        while (true)
        {
            if (connection.Buffered > 0)
            {
                var length = connection.Response.TryParse(connection, headRequest);
                if (length > 0)
                {
                    return length;
                }
            }

            int read;
            try
            {
                read = await connection.FillAsync(token).ConfigureAwait(false);
            }
            catch (SocketException) when (!received)
            {
                throw new DirectConnectionClosedException();
            }

            if (read == 0)
            {
                throw received ? new DirectProtocolException("connection closed inside the head") : new DirectConnectionClosedException();
            }

            received = true;
        }
    }

    // Status, reason phrase (only when not the standard one) and headers, as YARP copies them; a header whose name and
    // value bytes equal the previous response's at the same position reuses its strings.
    private static void CopyHead(HttpResponse response, DirectConnection connection)
    {
        var parsed = connection.Response;
        var buffer = connection.Buffer;
        response.StatusCode = parsed.Status;
        if (parsed.ReasonLength > 0)
        {
            var reason = buffer.AsSpan(parsed.ReasonStart, parsed.ReasonLength);
            if (!EqualsLatin1(reason, ReasonPhrases.GetReasonPhrase(parsed.Status)) && response.HttpContext.Features.Get<IHttpResponseFeature>() is { } feature)
            {
                feature.ReasonPhrase = System.Text.Encoding.Latin1.GetString(reason);
            }
        }

        var headers = response.Headers;
        var names = connection.Names;
        var values = connection.Values;
        for (var i = 0; i < parsed.HeaderCount; i++)
        {
            var range = parsed.Headers[i];
            var name = buffer.AsSpan(range.NameStart, range.NameLength);
            if (SkipResponseHeader(name))
            {
                continue;
            }

            var value = buffer.AsSpan(range.ValueStart, range.ValueLength);
            string nameText, valueText;
            if (i < DirectConnection.CachedHeaders)
            {
                nameText = names[i] is { } knownName && EqualsLatin1(name, knownName) ? knownName : names[i] = System.Text.Encoding.Latin1.GetString(name);
                valueText = values[i] is { } knownValue && EqualsLatin1(value, knownValue) ? knownValue : values[i] = System.Text.Encoding.Latin1.GetString(value);
            }
            else
            {
                nameText = System.Text.Encoding.Latin1.GetString(name);
                valueText = System.Text.Encoding.Latin1.GetString(value);
            }

            headers.Append(nameText, valueText);
        }

        if (parsed.ContentLength >= 0 && parsed.Framing != BodyFraming.Chunked)
        {
            response.ContentLength = parsed.ContentLength;
        }
    }

    // YARP's excluded headers, plus Content-Length (set as a number).
    private static bool SkipResponseHeader(ReadOnlySpan<byte> name) =>
        ExcludedHeaders.Contains(name) || (name.Length == 14 && System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8));

    private static bool EqualsLatin1(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length)
        {
            return false;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    // Copies the body to the client as it arrives (flushed before each wait on the upstream); true when the connection
    // ended the response cleanly and may carry another request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> CopyBodyAsync(
        DirectConnection connection, PipeWriter writer, CancellationTokenSource source, TimeSpan activityTimeout, CancellationToken token)
    {
        var parsed = connection.Response;
        switch (parsed.Framing)
        {
            case BodyFraming.ContentLength:
                await CopyExactlyAsync(connection, writer, parsed.ContentLength, source, activityTimeout, token).ConfigureAwait(false);
                return true;
            case BodyFraming.Close:
                WriteBuffered(connection, writer, connection.Buffered);
                while (true)
                {
                    await FlushAsync(writer, token).ConfigureAwait(false);
                    var memory = writer.GetMemory(DirectConnection.BufferSize);
                    var read = await connection.Socket.ReceiveAsync(memory, SocketFlags.None, token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return false;
                    }

                    writer.Advance(read);
                    source.CancelAfter(activityTimeout);
                }

            default:
                return await CopyChunkedAsync(connection, writer, source, activityTimeout, token).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CopyExactlyAsync(
        DirectConnection connection, PipeWriter writer, long remaining, CancellationTokenSource source, TimeSpan activityTimeout, CancellationToken token)
    {
        var buffered = (int)Math.Min(remaining, connection.Buffered);
        WriteBuffered(connection, writer, buffered);
        remaining -= buffered;
        while (remaining > 0)
        {
            await FlushAsync(writer, token).ConfigureAwait(false);
            var memory = writer.GetMemory(DirectConnection.BufferSize);
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }

            var read = await connection.Socket.ReceiveAsync(memory, SocketFlags.None, token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new DirectProtocolException("the body ended before its length");
            }

            writer.Advance(read);
            remaining -= read;
            source.CancelAfter(activityTimeout);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> CopyChunkedAsync(
        DirectConnection connection, PipeWriter writer, CancellationTokenSource source, TimeSpan activityTimeout, CancellationToken token)
    {
        while (true)
        {
            var line = await ReadLineAsync(connection, writer, source, activityTimeout, token).ConfigureAwait(false);
            var size = ParseChunkSize(connection.Buffer.AsSpan(connection.Start, line));
            connection.Start += line + 2;
            if (size == 0)
            {
                // Trailer section: lines up to an empty one (not forwarded; HTTP/1.1 responses carry none to the client),
                // at most as many as header lines.
                for (var lines = 0; lines <= Http1Response.MaxHeaders; lines++)
                {
                    var trailer = await ReadLineAsync(connection, writer, source, activityTimeout, token).ConfigureAwait(false);
                    connection.Start += trailer + 2;
                    if (trailer == 0)
                    {
                        return true;
                    }
                }

                throw new DirectProtocolException("too many trailer lines");
            }

            await CopyExactlyAsync(connection, writer, size, source, activityTimeout, token).ConfigureAwait(false);
            var end = await ReadLineAsync(connection, writer, source, activityTimeout, token).ConfigureAwait(false);
            if (end != 0)
            {
                throw new DirectProtocolException("chunk not followed by CRLF");
            }

            connection.Start += 2;
        }
    }

    // The length of the next line in the connection's buffer (without its CRLF), reading more as needed.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> ReadLineAsync(
        DirectConnection connection, PipeWriter writer, CancellationTokenSource source, TimeSpan activityTimeout, CancellationToken token)
    {
        while (true)
        {
            var index = connection.Buffer.AsSpan(connection.Start, connection.Buffered).IndexOf("\r\n"u8);
            if (index >= 0)
            {
                return index;
            }

            if (connection.Buffered > MaxChunkLine)
            {
                throw new DirectProtocolException("chunk line too long");
            }

            await FlushAsync(writer, token).ConfigureAwait(false);
            if (await connection.FillAsync(token).ConfigureAwait(false) == 0)
            {
                throw new DirectProtocolException("the chunked body ended early");
            }

            source.CancelAfter(activityTimeout); // bytes came: the activity timeout starts again
        }
    }

    private static long ParseChunkSize(ReadOnlySpan<byte> line)
    {
        long size = 0;
        var digits = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                if (digits > 0 && b is (byte)';' or (byte)' ' or (byte)'\t')
                {
                    // Optional whitespace, then nothing or a chunk extension (ignored); anything else is not a size.
                    var rest = line[i..].TrimStart(" \t"u8);
                    if (!rest.IsEmpty && rest[0] != (byte)';')
                    {
                        throw new DirectProtocolException("bad chunk size");
                    }

                    break;
                }

                throw new DirectProtocolException("bad chunk size");
            }

            if (++digits > 15)
            {
                throw new DirectProtocolException("chunk size too large");
            }

            size = (size << 4) | (long)digit;
        }

        return digits == 0 ? throw new DirectProtocolException("empty chunk size") : size;
    }

    private static void WriteBuffered(DirectConnection connection, PipeWriter writer, int count)
    {
        while (count > 0)
        {
            var span = writer.GetSpan(Math.Min(count, 4096)); // an explicit size: Kestrel's writer may give no room without one
            var length = Math.Min(span.Length, count);
            connection.Buffer.AsSpan(connection.Start, length).CopyTo(span);
            writer.Advance(length);
            connection.Start += length;
            count -= length;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask FlushAsync(PipeWriter writer, CancellationToken token)
    {
        var result = await writer.FlushAsync(token).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new DirectClientBodyException(new IOException("The client stopped reading the response."));
        }
    }
}
