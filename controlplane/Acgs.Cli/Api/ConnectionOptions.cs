// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;

namespace Acgs.Cli.Api;

/// <summary>
/// Where the control plane is and how to authenticate, shared by every command that calls it:
/// <c>--control-plane-url</c> (else <c>ACGS_CONTROL_PLANE_URL</c>, else http://127.0.0.1:8000) and
/// <c>--token-file</c> (else <c>ACGS_TOKEN_FILE</c>, else the token in <c>ACGS_ADMIN_TOKEN</c>, else none).
/// </summary>
internal sealed class ConnectionOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8000";

    public Option<string?> Url { get; } = new("--control-plane-url")
    {
        Description = "control plane base URL (default $ACGS_CONTROL_PLANE_URL or " + DefaultUrl + ")",
        Recursive = true,
    };

    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = "file holding the API token (default $ACGS_TOKEN_FILE; else $ACGS_ADMIN_TOKEN holds the token itself)",
        Recursive = true,
    };

    public Option<int> TimeoutSeconds { get; } = new("--timeout")
    {
        Description = "seconds to wait for each answer of the control plane (default 10)",
        DefaultValueFactory = static _ => 10,
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Url);
        command.Add(TokenFile);
        command.Add(TimeoutSeconds);
    }

    /// <summary>The API client, or the usage problems (one line each) that prevent creating it.</summary>
    public (ControlPlaneApi? Api, IReadOnlyList<string> Problems) Create(ParseResult parse, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        var url = parse.GetValue(Url) ?? NonEmpty(environment("ACGS_CONTROL_PLANE_URL")) ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"--control-plane-url: must be an absolute http(s) URL (got '{url}')");
        }

        var timeout = parse.GetValue(TimeoutSeconds);
        if (timeout is < 1 or > 600)
        {
            problems.Add($"--timeout: must be 1..600 seconds (got '{timeout}')");
        }

        string? token = null;
        var tokenFile = parse.GetValue(TokenFile) ?? NonEmpty(environment("ACGS_TOKEN_FILE"));
        if (tokenFile is not null)
        {
            try
            {
                token = File.ReadAllText(tokenFile).Trim();
                if (token.Length == 0)
                {
                    problems.Add($"--token-file: '{tokenFile}' is empty");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"--token-file: cannot read '{tokenFile}' ({e.GetType().Name})");
            }
        }
        else
        {
            token = NonEmpty(environment("ACGS_ADMIN_TOKEN"));
        }

        if (problems.Count > 0 || uri is null)
        {
            return (null, problems);
        }

        var baseUri = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        return (new ControlPlaneApi(baseUri, token, TimeSpan.FromSeconds(timeout)), problems);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
