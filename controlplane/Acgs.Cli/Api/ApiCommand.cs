// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;

namespace Acgs.Cli.Api;

/// <summary>Commands that are one call to the control plane: print the answer (JSON) or its problem.</summary>
internal static class ApiCommand
{
    /// <summary>A command that sends <paramref name="method"/> to the path <paramref name="path"/> computes and prints the answer.</summary>
    public static Command Create(
        CliContext context,
        ConnectionOptions connection,
        string name,
        string description,
        HttpMethod method,
        Func<ParseResult, string> path,
        Func<ParseResult, string?>? body = null,
        params Symbol[] symbols)
    {
        ArgumentNullException.ThrowIfNull(path);
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Add(argument);
                    break;
                case Option option:
                    command.Add(option);
                    break;
            }
        }

        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var response = await api.SendAsync(method, path(parse), body?.Invoke(parse), ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return await CliAction.FailAsync(context, name, response).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(Status.Json.Write(response.Body)).ConfigureAwait(false);
            return CliApplication.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>A path segment escaped for a URL.</summary>
    public static string Segment(string? value) => Uri.EscapeDataString(value ?? string.Empty);
}
