// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// The answer to a request the framework could not bind (route handlers throw with <c>ThrowOnBadRequest</c>): bad or
/// unknown-field JSON, a body that is not <c>application/json</c>, a missing or unreadable parameter. Always
/// <c>application/problem+json</c> <c>urn:acgs:validation-failed</c> with <c>errors</c>, the same as the APIs' own
/// validation; 415 for a wrong media type. Nothing reached the handler, so nothing changed.
/// </summary>
internal static partial class BadRequestProblems
{
    /// <summary>The middleware.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !context.Response.HasStarted)
            {
                await WriteAsync(context, unsupported: true, "Content-Type: must be application/json").ConfigureAwait(false); // the binder answers 415 without throwing
            }
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var unsupported = ex.StatusCode == StatusCodes.Status415UnsupportedMediaType;
            await WriteAsync(context, unsupported, unsupported ? "Content-Type: must be application/json" : Describe(ex)).ConfigureAwait(false);
        }
    }

    private static Task WriteAsync(HttpContext context, bool unsupported, string problem)
    {
        context.Response.Clear();
        return Problems.Create(
            unsupported ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status400BadRequest,
            Problems.ValidationType,
            unsupported ? "Unsupported media type" : "Validation failed",
            "1 problem(s); nothing was changed.",
            [problem]).ExecuteAsync(context);
    }

    private static string Describe(BadHttpRequestException ex)
    {
        if (ex.InnerException is JsonException json)
        {
            return JsonErrors.Describe(json);
        }

        if (RequiredParameter().Match(ex.Message) is { Success: true } required)
        {
            return $"{required.Groups["name"].Value}: is required";
        }

        if (UnreadableParameter().Match(ex.Message) is { Success: true } unreadable)
        {
            return $"{unreadable.Groups["name"].Value}: cannot read '{unreadable.Groups["value"].Value}'";
        }

        return ex.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "body: a JSON body is required" : "the request could not be read";
    }

    [GeneratedRegex("Required parameter \"\\S+ (?<name>\\w+)\" was not provided", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredParameter();

    [GeneratedRegex("Failed to bind parameter \"\\S+ (?<name>\\w+)\" from \"(?<value>[^\"]{0,64})", RegexOptions.CultureInvariant)]
    private static partial Regex UnreadableParameter();
}
