// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Soak;

/// <summary>Waiting for the soak mesh's processes: a child answering 200, svc-a routing to svc-b.</summary>
internal sealed partial class SoakMesh
{
    private async Task WaitRoutedAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200, ct).ConfigureAwait(false))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, A.Outbound);
            request.Headers.Host = "svc-b";
            request.Headers.Add("X-Constitutional-Hash", "cdd01ef066bc6cf2");
            try
            {
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not yet (or slow: the host is shared)
            }
        }

        throw new TimeoutException("svc-a did not route to svc-b within 60 s; see the logs in " + _dir);
    }

    private static async Task WaitOkAsync(ChildProcess process, Uri uri, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(100, ct).ConfigureAwait(false))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited during start-up; see {process.LogPath}");
            }

            try
            {
                using var response = await http.GetAsync(uri, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }
        }

        throw new TimeoutException($"{process.Name} not ready at {uri} within 60 s; see {process.LogPath}");
    }
}
