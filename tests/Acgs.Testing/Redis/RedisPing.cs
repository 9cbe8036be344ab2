// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Acgs.Testing.Redis;

/// <summary>Minimal RESP over a raw socket, so the fixture needs no client library.</summary>
internal static class RedisPing
{
    /// <summary>Whether a server on the loopback port answers PING (an auth error also means it is up).</summary>
    public static async Task<bool> IsReadyAsync(int port, CancellationToken cancellationToken)
    {
        var reply = await TrySendAsync(port, "PING", cancellationToken);
        return reply is not null
            && (reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal));
    }

    /// <summary>Sends one inline command and returns the first reply line, or null when nothing answered.</summary>
    public static async Task<string?> TrySendAsync(int port, string command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), timeout.Token);
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read <= 0 ? null : Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (SocketException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
