// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>
/// The built sidecar (<c>dotnet Acgs.Sidecar.dll</c>) started inside a <see cref="NetworkNamespace"/>
/// as the proxy uid/gid 1337 (<c>ip netns exec NS setpriv --reuid 1337 --regid 1337 --clear-groups</c>),
/// with the default ports 15006/15001/15020; inbound and admin bound to 0.0.0.0 so the test's namespace
/// reaches them over the veth. Its app is the given endpoint (the backend in the test's namespace).
/// </summary>
internal sealed class PodSidecar : IAsyncDisposable
{
    public const int ProxyUid = 1337;
    public const int InboundPort = 15006;
    public const int OutboundPort = 15001;
    public const int AdminPort = 15020;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PodSidecar(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<PodSidecar> StartAsync(NetworkNamespace ns, IPEndPoint app, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(app);
        var info = new ProcessStartInfo(NetworkNamespace.Tool("ip"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "netns", "exec", ns.Name,
            NetworkNamespace.Tool("setpriv"), "--reuid", ProxyUid.ToString(CultureInfo.InvariantCulture), "--regid", ProxyUid.ToString(CultureInfo.InvariantCulture), "--clear-groups",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var sidecar = RepositoryPaths.SidecarAssembly();
        if (sidecar.EndsWith(".dll", StringComparison.Ordinal))
        {
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(sidecar);

        var env = info.Environment;
        env["HOME"] = "/tmp";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["ACGS_SERVICE_NAME"] = "tp-test";
        env["ACGS_NODE_ID"] = ns.Name;
        env["ACGS_APP_HOST"] = app.Address.ToString();
        env["ACGS_APP_PORT"] = app.Port.ToString(CultureInfo.InvariantCulture);
        env["ACGS_INBOUND_ADDRESS"] = "0.0.0.0";
        env["ACGS_INBOUND_PORT"] = InboundPort.ToString(CultureInfo.InvariantCulture);
        env["ACGS_OUTBOUND_ADDRESS"] = "127.0.0.1";
        env["ACGS_OUTBOUND_PORT"] = OutboundPort.ToString(CultureInfo.InvariantCulture);
        env["ACGS_ADMIN_ADDRESS"] = "0.0.0.0";
        env["ACGS_ADMIN_PORT"] = AdminPort.ToString(CultureInfo.InvariantCulture);
        env["ACGS_CONTROL_PLANE_URL"] = string.Empty;
        env["ACGS_CONFIG"] = string.Empty;
        env["CONSTITUTIONAL_HASH"] = string.Empty;
        env["ACGS_HASH_MODE"] = string.Empty;
        env["ACGS_ORIGINAL_DST"] = string.Empty;
        env["ACGS_OUTBOUND_PASSTHROUGH"] = string.Empty;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the sidecar");
        var started = new PodSidecar(process);
        process.OutputDataReceived += started.Collect;
        process.ErrorDataReceived += started.Collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Ready when the admin port answers from the test's namespace (15020 is excluded from redirection).
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var probe = new Uri($"http://{ns.PodAddress}:{AdminPort}/health/live");
        var live = false;
        try
        {
            await Eventually.TrueAsync(async () => process.HasExited || (live = await LiveAsync(client, probe)), "the sidecar is live or has exited", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }

        if (live)
        {
            return started;
        }

        var output = started.Output;
        await started.DisposeAsync();
        throw new InvalidOperationException("the sidecar in " + ns.Name + " did not become live:\n" + output);
    }

    private static async Task<bool> LiveAsync(HttpClient client, Uri probe)
    {
        try
        {
            using var response = await client.GetAsync(probe);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(e.Data);
        }
    }
}
