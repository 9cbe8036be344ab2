// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using Acgs.Cli.Api;

namespace Acgs.Cli.Operations;

/// <summary><c>acgsctl recovery status|history|retry|cancel</c>: the recovery orchestrator's queue.</summary>
internal static class RecoveryCommand
{
    private const string Route = "api/v1/recovery/";

    public static Command Create(CliContext context, ConnectionOptions connection)
    {
        var command = new Command("recovery", "the recovery queue: tasks per service, history, retry or cancel one");
        command.Add(ApiCommand.Create(context, connection, "status", "every recovery task", HttpMethod.Get, _ => Route + "tasks"));
        command.Add(ApiCommand.Create(context, connection, "history", "finished recovery tasks", HttpMethod.Get, _ => Route + "history"));
        foreach (var (verb, description) in new[] { ("retry", "retry a service's recovery now"), ("cancel", "cancel a service's recovery") })
        {
            var service = new Argument<string>("service") { Description = "the service" };
            command.Add(ApiCommand.Create(context, connection, verb, description, HttpMethod.Post,
                parse => Route + "tasks/" + ApiCommand.Segment(parse.GetValue(service)) + "/" + verb, _ => "{}", service));
        }

        return command;
    }
}
