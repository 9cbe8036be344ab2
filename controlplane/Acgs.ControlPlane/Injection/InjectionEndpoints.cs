// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Injection;

/// <summary>
/// <c>POST /inject</c> (only the pod annotation <c>acgs.io/inject: "true"</c> opts in) and
/// <c>POST /inject/namespace-enabled</c> (for namespaces the webhook configuration selected by the label
/// <c>acgs.io/inject=enabled</c>: injected unless the pod opts out). Answered on the TLS webhook listener;
/// on other listeners they are 404 unless <c>ACGS_WEBHOOK_ON_API_PORT=true</c>.
/// </summary>
internal static class InjectionEndpoints
{
    /// <summary>The connection item that marks the webhook listener's connections.</summary>
    public const string ListenerItem = "acgs.injection.webhook-listener";

    /// <summary>Largest AdmissionReview body accepted (the API server's own object limit is about 3 MiB).</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    public static IEndpointRouteBuilder MapInjectionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/inject", static context => HandleAsync(context, namespaceEnabled: false));
        endpoints.MapPost("/inject/namespace-enabled", static context => HandleAsync(context, namespaceEnabled: true));
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, bool namespaceEnabled)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<WebhookOptions>();
        var onWebhookListener = context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ListenerItem) == true;
        if (!onWebhookListener && !options.ServeOnApiPort)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var metrics = services.GetRequiredService<InjectionMetrics>();
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            metrics.Reviews.WithLabels("too_large").Inc();
            await Problems.Create(StatusCodes.Status413PayloadTooLarge, Problems.ValidationType, "AdmissionReview too large",
                $"The body exceeds {MaxBodyBytes} bytes.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                metrics.Reviews.WithLabels("too_large").Inc();
                await Problems.Create(StatusCodes.Status413PayloadTooLarge, Problems.ValidationType, "AdmissionReview too large",
                    $"The body exceeds {MaxBodyBytes} bytes.").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            buffer.Write(chunk, 0, read);
        }

        var outcome = services.GetRequiredService<AdmissionReviewHandler>().Handle(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), namespaceEnabled);
        metrics.Reviews.WithLabels(outcome.Result).Inc();
        if (outcome.Response is null)
        {
            await Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Malformed AdmissionReview", outcome.Error ?? "malformed")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(outcome.Response, context.RequestAborted).ConfigureAwait(false);
    }
}
