// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acgs.Cli.Api;
using Acgs.Cli.Status;

namespace Acgs.Cli.Policy;

/// <summary>
/// <c>acgsctl policy apply -f FILE [--version V] [--activate]</c>: creates the policy if it is new, stores the version and
/// optionally activates it. FILE is either <c>{"id", "description", "version", "content"}</c> or a bare policy document
/// (<c>{"kind", "name", "target", ...}</c>: the id is its name and <c>--version</c> is required).
/// </summary>
internal static class PolicyApply
{
    public static Command Create(CliContext context, ConnectionOptions connection)
    {
        var file = new Option<string>("--filename", "-f") { Description = "the policy file (JSON; '-' = standard input)", Required = true };
        var version = new Option<string?>("--version") { Description = "the version to store (overrides the file's)" };
        var activate = new Option<bool>("--activate") { Description = "activate the stored version" };
        var command = new Command("apply", "store a policy version from a file, creating the policy if needed") { file, version, activate };
        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var (request, problem) = Read(parse.GetValue(file)!, parse.GetValue(version), context.In);
            if (request is null)
            {
                await context.Error.WriteLineAsync("acgsctl: policy apply: " + problem).ConfigureAwait(false);
                return CliApplication.Failed;
            }

            var (id, description, stored, content) = request.Value;
            var create = new JsonObject { ["id"] = id, ["description"] = description };
            var created = await api.SendAsync(HttpMethod.Post, "api/v1/policies", create.ToJsonString(), ct).ConfigureAwait(false);
            if (!created.IsSuccess && created.Status != 409)
            {
                return await CliAction.FailAsync(context, "policy apply (create " + id + ")", created).ConfigureAwait(false);
            }

            var body = new JsonObject { ["version"] = stored, ["content"] = content };
            var added = await api.SendAsync(HttpMethod.Post, "api/v1/policies/" + ApiCommand.Segment(id) + "/versions", body.ToJsonString(), ct).ConfigureAwait(false);
            if (!added.IsSuccess)
            {
                return await CliAction.FailAsync(context, $"policy apply ({id} {stored})", added).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"policy {id}: version {stored} stored (sha256 {Json.Text(added.Body, "content_sha256") ?? "-"})").ConfigureAwait(false);
            if (!parse.GetValue(activate))
            {
                return CliApplication.Ok;
            }

            var activated = await api.SendAsync(HttpMethod.Put, "api/v1/policies/" + ApiCommand.Segment(id) + "/activate?version=" + Uri.EscapeDataString(stored), null, ct)
                .ConfigureAwait(false);
            if (!activated.IsSuccess)
            {
                return await CliAction.FailAsync(context, $"policy apply (activate {id} {stored})", activated).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"policy {id}: version {stored} active").ConfigureAwait(false);
            return CliApplication.Ok;
        }, cancellationToken));
        return command;
    }

    internal static ((string Id, string? Description, string Version, JsonNode Content)? Request, string? Problem) Read(string path, string? version, TextReader stdin)
    {
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(path == "-" ? stdin.ReadToEnd() : File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read '{path}' ({e.GetType().Name})");
        }
        catch (JsonException e)
        {
            return (null, $"'{path}' is not JSON: {e.Message}");
        }

        if (document is not JsonObject root)
        {
            return (null, $"'{path}': a JSON object is required");
        }

        var content = root["content"] is JsonObject wrapped ? wrapped : root;
        var id = Json.Text(root, "id") ?? Json.Text(content, "name");
        var stored = version ?? Json.Text(root, "version");
        var problems = new List<string>();
        if (string.IsNullOrEmpty(id))
        {
            problems.Add("no policy id ('id', or the document's 'name')");
        }

        if (string.IsNullOrEmpty(stored))
        {
            problems.Add("no version ('version' in the file, or --version)");
        }

        return problems.Count > 0
            ? (null, string.Join("; ", problems))
            : ((id!, Json.Text(root, "description"), stored!, content.DeepClone()), null);
    }
}
