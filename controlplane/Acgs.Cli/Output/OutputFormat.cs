// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;

namespace Acgs.Cli.Output;

/// <summary>The <c>--output table|json</c> option of the read commands.</summary>
internal static class OutputFormat
{
    public const string Table = "table";
    public const string Json = "json";

    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--output")
        {
            Description = "table (default, for people) or json (the control plane's answer, for scripts)",
            DefaultValueFactory = static _ => Table,
        };
        option.AcceptOnlyFromAmong(Table, Json);
        return option;
    }
}
