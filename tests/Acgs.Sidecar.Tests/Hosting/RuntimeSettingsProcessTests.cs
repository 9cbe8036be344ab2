// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Acgs.Sidecar.Tests.Transparent;

namespace Acgs.Sidecar.Tests.Hosting;

/// <summary>
/// The runtime settings the sidecar was measured with are part of the binary: the built sidecar
/// (or <c>ACGS_TEST_SIDECAR_BINARY</c>, e.g. the Native AOT publish) started with an empty
/// environment reports them on GET /runtime and in its start-up log line.
/// </summary>
public sealed class RuntimeSettingsProcessTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Runtime_EmptyEnvironment_ReportsBuiltInSettings()
    {
        await using var sidecar = await StartAsync(new Dictionary<string, string>());

        var runtime = await sidecar.RuntimeAsync();

        Assert.Equal("workstation", runtime.GetProperty("gc").GetString());
        Assert.False(runtime.GetProperty("gc_concurrent").GetBoolean());
        Assert.True(runtime.GetProperty("inline_socket_completions").GetBoolean());
        Assert.Equal("built-in", runtime.GetProperty("inline_socket_completions_source").GetString());
        Assert.Equal(0, runtime.GetProperty("thread_pool_spin_limit").GetInt32());
        Assert.Equal("built-in", runtime.GetProperty("thread_pool_spin_limit_source").GetString());
        Assert.False(runtime.GetProperty("tiered_compilation").GetBoolean());
        Assert.Contains("inline socket completions on (built-in), thread-pool spin limit 0 (built-in)", sidecar.Output(), StringComparison.Ordinal);
        Assert.True(runtime.GetProperty("trim_after_start").GetBoolean());
        if (runtime.GetProperty("native_aot").GetBoolean())
        {
            // Built into the Native AOT executable (--runtimeopt in the project); the JIT runtime reads them from the environment only.
            Assert.Equal(7, runtime.GetProperty("gc_conserve_memory").GetInt64());
            Assert.Equal(0x100000, runtime.GetProperty("gc_region_size").GetInt64());
        }

        // The trim runs once the host has started: read-only file pages (the executable's, the libraries') were dropped.
        var trimmed = await sidecar.PollRuntimeAsync(r => r.GetProperty("trimmed_file_bytes").GetInt64() > 0);
        Assert.True(trimmed.GetProperty("trimmed_file_bytes").GetInt64() > 0, "no file pages trimmed after start: " + sidecar.Output());
        Assert.Contains("resident trim after start:", sidecar.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_EnvironmentOverrides_ReportsEnvironmentValues()
    {
        await using var sidecar = await StartAsync(new Dictionary<string, string>
        {
            ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "0",
            ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "7",
            ["DOTNET_GCConserveMemory"] = "3",
            ["DOTNET_GCRegionSize"] = "200000",
            ["ACGS_TRIM_AFTER_START"] = "false",
        });

        var runtime = await sidecar.RuntimeAsync();

        Assert.False(runtime.GetProperty("inline_socket_completions").GetBoolean());
        Assert.Equal("environment", runtime.GetProperty("inline_socket_completions_source").GetString());
        Assert.Equal(7, runtime.GetProperty("thread_pool_spin_limit").GetInt32());
        Assert.Equal("environment", runtime.GetProperty("thread_pool_spin_limit_source").GetString());
        Assert.Equal(3, runtime.GetProperty("gc_conserve_memory").GetInt64());
        Assert.Equal(0x200000, runtime.GetProperty("gc_region_size").GetInt64());
        Assert.False(runtime.GetProperty("trim_after_start").GetBoolean());
        Assert.Equal(0, runtime.GetProperty("trimmed_file_bytes").GetInt64());
        Assert.DoesNotContain("resident trim after start:", sidecar.Output(), StringComparison.Ordinal);
    }

    private static async Task<RunningSidecar> StartAsync(Dictionary<string, string> extra)
    {
        var binary = RepositoryPaths.SidecarAssembly();
        var info = binary.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet") { ArgumentList = { binary } } : new ProcessStartInfo(binary);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var path = info.Environment["PATH"];
        info.Environment.Clear();
        info.Environment["PATH"] = path;
        var admin = Acgs.Testing.FreePort.Get();
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["ACGS_INBOUND_ADDRESS"] = "127.0.0.1",
            ["ACGS_INBOUND_PORT"] = Port(),
            ["ACGS_OUTBOUND_PORT"] = Port(),
            ["ACGS_ADMIN_PORT"] = admin.ToString(CultureInfo.InvariantCulture),
            ["ACGS_APP_PORT"] = Port(),
            ["ACGS_BUS_ADDRESS"] = "127.0.0.1",
            ["ACGS_BUS_PORT"] = Port(),
            ["ACGS_BUS_HTTP_PORT"] = Port(),
        })
        {
            info.Environment[name] = value;
        }

        foreach (var (name, value) in extra)
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + binary);
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sidecar = new RunningSidecar(process, output, new Uri($"http://127.0.0.1:{admin}/"));
        await sidecar.WaitLiveAsync();
        return sidecar;

        static string Port() => Acgs.Testing.FreePort.Get().ToString(CultureInfo.InvariantCulture);
    }

    private sealed class RunningSidecar(Process process, StringBuilder output, Uri admin) : IAsyncDisposable
    {
        public string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        public async Task WaitLiveAsync()
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(process.HasExited, "the sidecar exited: " + Output());
                try
                {
                    using var response = await Http.GetAsync(new Uri(admin, "health/live"));
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
                {
                }

                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the sidecar did not answer /health/live in 60 s: " + Output());
                await Task.Delay(100);
            }
        }

        public async Task<JsonElement> RuntimeAsync()
        {
            using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(admin, "runtime")));
            return doc.RootElement.Clone();
        }

        /// <summary>GET /runtime until <paramref name="done"/> holds or 60 s pass; the last answer either way.</summary>
        public async Task<JsonElement> PollRuntimeAsync(Func<JsonElement, bool> done)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var runtime = await RuntimeAsync();
                if (done(runtime) || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    return runtime;
                }

                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}
