// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Validation;

/// <summary>One problem with a contract: the JSON path it concerns (snake_case, e.g. <c>spec.fail_max</c>) and what is wrong.</summary>
/// <param name="Path">JSON path of the offending field; empty for the document itself.</param>
/// <param name="Message">What is wrong, never echoing an accepted constitutional hash.</param>
public sealed record ValidationError(string Path, string Message)
{
    /// <summary><c>path: message</c> (or only the message for the document itself).</summary>
    public override string ToString() => Path.Length == 0 ? Message : Path + ": " + Message;
}
