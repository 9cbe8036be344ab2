// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Injection;

namespace Acgs.Cli.Inject;

/// <summary><c>acgsctl inject -f FILE [-o FILE] [--image IMAGE] [--control-plane-url URL]</c>.</summary>
internal static class InjectCommand
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        string? input = null;
        string? output = null;
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        var usage = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 < args.Length)
                {
                    return args[++i];
                }

                usage.Add("option " + arg + " needs a value");
                return null;
            }

            switch (arg)
            {
                case "-f" or "--filename":
                    input = Value();
                    break;
                case "-o" or "--output":
                    output = Value();
                    break;
                case "--image":
                    if (Value() is { } image)
                    {
                        overrides["ACGS_INJECT_IMAGE"] = image;
                    }

                    break;
                case "--control-plane-url":
                    if (Value() is { } url)
                    {
                        overrides["ACGS_INJECT_CONTROL_PLANE_URL"] = url;
                    }

                    break;
                default:
                    usage.Add("unknown option '" + arg + "'");
                    break;
            }
        }

        if (input is null && usage.Count == 0)
        {
            usage.Add("-f FILE is required ('-' reads standard input)");
        }

        if (!InjectionOptions.TryRead(name => overrides.TryGetValue(name, out var value) ? value : environment(name), out var options, out var settingErrors))
        {
            usage.AddRange(settingErrors);
        }

        if (usage.Count > 0)
        {
            foreach (var problem in usage)
            {
                stderr.WriteLine("acgsctl inject: " + problem);
            }

            stderr.WriteLine("Run 'acgsctl help' for usage.");
            return CliApplication.Usage;
        }

        string text;
        try
        {
            text = input == "-" ? stdin.ReadToEnd() : File.ReadAllText(input!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("acgsctl inject: cannot read '" + input + "': " + e.Message);
            return CliApplication.Failed;
        }

        var source = input == "-" ? "<stdin>" : input!;
        ManifestInjection result;
        try
        {
            result = new ManifestInjector(new PodPatchBuilder(options)).Inject(text, source);
        }
        catch (InvalidDataException e)
        {
            stderr.WriteLine("acgsctl inject: " + e.Message);
            return CliApplication.Failed;
        }

        foreach (var line in result.Report)
        {
            stderr.WriteLine("acgsctl inject: " + line);
        }

        try
        {
            if (output is null)
            {
                stdout.Write(result.Yaml);
            }
            else
            {
                File.WriteAllText(output, result.Yaml);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("acgsctl inject: cannot write '" + output + "': " + e.Message);
            return CliApplication.Failed;
        }

        return CliApplication.Ok;
    }
}
