// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Acgs.Cli.Api;

/// <summary>
/// The control plane's HTTP API as acgsctl uses it: one base URL, an optional bearer token, JSON in and out.
/// Transport failures become <see cref="ControlPlaneUnreachableException"/>; HTTP errors are returned, never thrown.
/// </summary>
internal sealed class ControlPlaneApi : IDisposable
{
    private readonly HttpClient _client;

    public ControlPlaneApi(Uri baseAddress, string? token, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        _client = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(token))
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The base URL, for messages.</summary>
    public Uri BaseAddress => _client.BaseAddress!;

    public Task<ApiResponse> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? body = null;
            if (text.Length > 0)
            {
                try
                {
                    body = JsonNode.Parse(text);
                }
                catch (System.Text.Json.JsonException)
                {
                    body = JsonValue.Create(text);
                }
            }

            return new ApiResponse((int)response.StatusCode, body, response.Headers.Date);
        }
        catch (HttpRequestException e)
        {
            throw new ControlPlaneUnreachableException($"{BaseAddress}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ControlPlaneUnreachableException($"{BaseAddress}: no answer within {_client.Timeout.TotalSeconds:0} s", e);
        }
    }

    public void Dispose() => _client.Dispose();
}
