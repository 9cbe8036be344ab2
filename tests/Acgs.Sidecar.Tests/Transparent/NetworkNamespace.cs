// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>
/// A throw-away network namespace (the "pod") joined to the test's namespace by a veth pair on a
/// random /30 of 198.18.0.0/15 (the benchmarking range): host side <see cref="HostAddress"/>, pod side
/// <see cref="PodAddress"/>. Unique names per run; deleting the namespace deletes the veth pair.
/// Sockets inside it are created on a short-lived thread that has joined it with <c>setns</c>.
/// </summary>
internal sealed class NetworkNamespace : IAsyncDisposable
{
    private const int CloneNewNet = 0x40000000;
    private const int ReadOnly = 0;

    private NetworkNamespace(string name, IPAddress host, IPAddress pod, IPAddress host6, IPAddress pod6)
    {
        Name = name;
        HostAddress = host;
        PodAddress = pod;
        HostAddress6 = host6;
        PodAddress6 = pod6;
    }

    public string Name { get; }

    private static string Ip => Tool("ip");

    public IPAddress HostAddress { get; }

    public IPAddress PodAddress { get; }

    /// <summary>The host side's IPv6 address (a random /64 of fd00::/8, no duplicate-address detection).</summary>
    public IPAddress HostAddress6 { get; }

    /// <summary>The pod side's IPv6 address.</summary>
    public IPAddress PodAddress6 { get; }

    /// <summary>Why this machine cannot run namespace tests, or null when it can.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "network namespaces and iptables need root";
        }

        foreach (var tool in new[] { "ip", "iptables-restore", "iptables", "setpriv" })
        {
            if (Tool(tool) == tool)
            {
                return $"'{tool}' is not installed (apt-get install iproute2 iptables util-linux)";
            }
        }

        return null;
    }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        if (Unavailable() is { } reason)
        {
            throw new InvalidOperationException("transparent-proxy test cannot run: " + reason);
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var subnet = RandomNumberGenerator.GetInt32(0, 2 * 256 * 64); // /30s of 198.18.0.0/15
        var baseAddress = (198u << 24) | (18u << 16) | ((uint)subnet << 2);
        var host = ToAddress(baseAddress + 1);
        var pod = ToAddress(baseAddress + 2);
        var prefix6 = "fd00:ac65:" + id[..4] + ":" + id[4..] + "::";
        var ns = new NetworkNamespace("acgs-tp-" + id, host, pod, IPAddress.Parse(prefix6 + "1"), IPAddress.Parse(prefix6 + "2"));
        try
        {
            await CommandRunner.RunCheckedAsync(Ip, "netns", "add", ns.Name);
            await CommandRunner.RunCheckedAsync(Ip, "-n", ns.Name, "link", "set", "lo", "up");
            await CommandRunner.RunCheckedAsync(Ip, "link", "add", "acgsh" + id, "type", "veth", "peer", "name", "acgsp" + id, "netns", ns.Name);
            await CommandRunner.RunCheckedAsync(Ip, "addr", "add", host + "/30", "dev", "acgsh" + id);
            await CommandRunner.RunCheckedAsync(Ip, "link", "set", "acgsh" + id, "up");
            await CommandRunner.RunCheckedAsync(Ip, "-n", ns.Name, "addr", "add", pod + "/30", "dev", "acgsp" + id);
            await CommandRunner.RunCheckedAsync(Ip, "-n", ns.Name, "link", "set", "acgsp" + id, "up");
            await CommandRunner.RunCheckedAsync(Ip, "-6", "addr", "add", ns.HostAddress6 + "/64", "dev", "acgsh" + id, "nodad");
            await CommandRunner.RunCheckedAsync(Ip, "-n", ns.Name, "-6", "addr", "add", ns.PodAddress6 + "/64", "dev", "acgsp" + id, "nodad");
            return ns;
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
    }

    /// <summary>A TCP socket created inside the namespace (by the test's uid: root, never the proxy uid).</summary>
    public Socket CreateSocket(AddressFamily family = AddressFamily.InterNetwork)
    {
        Socket? socket = null;
        Exception? failure = null;
        var path = "/var/run/netns/" + Name;
        var thread = new Thread(() =>
        {
            try
            {
                var fd = Open(path, ReadOnly);
                if (fd < 0)
                {
                    throw new InvalidOperationException($"open {path}: errno {Marshal.GetLastPInvokeError()}");
                }

                try
                {
                    if (SetNs(fd, CloneNewNet) != 0)
                    {
                        throw new InvalidOperationException($"setns {path}: errno {Marshal.GetLastPInvokeError()}");
                    }
                }
                finally
                {
                    _ = Close(fd);
                }

                // This thread now lives in the namespace and ends right after: the socket stays there.
                socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            }
#pragma warning disable CA1031 // rethrown on the calling thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException("could not create a socket in " + Name, failure);
    }

    /// <summary>An HTTP client whose connections are made from inside the namespace.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var address = IPAddress.Parse(context.DnsEndPoint.Host.Trim('[', ']'));
            var socket = CreateSocket(address.AddressFamily);
            try
            {
                await socket.ConnectAsync(address, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>
    /// Connects from inside the namespace, sends <paramref name="payload"/>, half-closes and reads to the
    /// end: the bytes that came back, or null when the connection was refused, reset or closed empty.
    /// </summary>
    public async Task<byte[]?> TryEchoAsync(IPEndPoint destination, byte[] payload)
    {
        using var socket = CreateSocket(destination.AddressFamily);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await socket.ConnectAsync(destination, timeout.Token);
            await socket.SendAsync(payload, SocketFlags.None, timeout.Token);
            socket.Shutdown(SocketShutdown.Send);
            using var received = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            return received.Length == 0 ? null : received.ToArray();
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync() => await CommandRunner.RunAsync(Ip, "netns", "del", Name);

    private static IPAddress ToAddress(uint value) =>
        IPAddress.Parse(string.Join('.', (value >> 24).ToString(CultureInfo.InvariantCulture), ((value >> 16) & 255).ToString(CultureInfo.InvariantCulture), ((value >> 8) & 255).ToString(CultureInfo.InvariantCulture), (value & 255).ToString(CultureInfo.InvariantCulture)));

    /// <summary>The full path of <paramref name="tool"/> (PATH, then the sbin directories), or the bare name.</summary>
    public static string Tool(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(':').Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            if (directory.Length > 0 && File.Exists(Path.Combine(directory, tool)))
            {
                return Path.Combine(directory, tool);
            }
        }

        return tool;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
}
