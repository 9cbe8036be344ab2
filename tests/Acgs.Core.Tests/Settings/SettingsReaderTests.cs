// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core.Settings;

namespace Acgs.Core.Tests.Settings;

public sealed class SettingsReaderTests
{
    private static SettingsReader Reader(params (string Name, string? Value)[] pairs)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            variables[name] = value;
        }

        return SettingsReader.From(variables);
    }

    [Fact]
    public void Getters_Unset_ReturnDefaultsWithoutProblems()
    {
        var reader = Reader(("BLANK", "   "));

        Assert.Equal("d", reader.Text("UNSET", "d"));
        Assert.Null(reader.OptionalText("BLANK"));
        Assert.Equal(7, reader.WholeNumber("UNSET", 7, 1, 10));
        Assert.Null(reader.OptionalWholeNumber("BLANK", 1, 10));
        Assert.Equal(0.5, reader.Number("UNSET", 0.5, 0, 1));
        Assert.True(reader.Bool("UNSET", true));
        Assert.Equal(TimeSpan.FromSeconds(3), reader.Milliseconds("UNSET", TimeSpan.FromSeconds(3), 1, 10));
        Assert.Equal(TimeSpan.FromSeconds(4), reader.Seconds("UNSET", TimeSpan.FromSeconds(4), 1, 10));
        Assert.Equal(DayOfWeek.Friday, reader.Enum("UNSET", DayOfWeek.Friday));
        Assert.Equal(8000, reader.Port("UNSET", 8000));
        Assert.Equal("0.0.0.0", reader.ListenAddress("UNSET", "0.0.0.0"));
        Assert.Null(reader.OptionalHttpUrl("UNSET"));
        Assert.Null(reader.Secret("UNSET", 16));
        Assert.Equal(["x"], reader.List("UNSET", ["x"]));
        Assert.True(reader.IsValid);
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public void Getters_ValidValues_ReturnThemTrimmed()
    {
        var reader = Reader(("TEXT", " hello "), ("WHOLE", "-3"), ("NUMBER", "0.25"), ("MS", "250"), ("SECONDS", "1.5"),
            ("DAY", "TUESDAY"), ("PORT", "0"), ("ADDRESS", "::1"), ("URL", "https://cp:8000/x"), ("TOKEN", "0123456789abcdef"), ("LIST", " a, ,b ,"));

        Assert.Equal("hello", reader.Text("TEXT", "d"));
        Assert.Equal(-3, reader.WholeNumber("WHOLE", 0, -5, 5));
        Assert.Equal(0.25, reader.Number("NUMBER", 0, 0, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(250), reader.Milliseconds("MS", TimeSpan.Zero, 1, 1000));
        Assert.Equal(TimeSpan.FromSeconds(1.5), reader.Seconds("SECONDS", TimeSpan.Zero, 0, 10));
        Assert.Equal(DayOfWeek.Tuesday, reader.Enum("DAY", DayOfWeek.Friday));
        Assert.Equal(0, reader.Port("PORT", 8000));
        Assert.Equal("::1", reader.ListenAddress("ADDRESS", "0.0.0.0"));
        Assert.Equal(new Uri("https://cp:8000/x"), reader.OptionalHttpUrl("URL"));
        Assert.Equal("0123456789abcdef", reader.Secret("TOKEN", 16));
        Assert.Equal(["a", "b"], reader.List("LIST", []));
        Assert.True(reader.IsValid, string.Join("\n", reader.Problems));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" Yes ", true)]
    [InlineData("on", true)]
    [InlineData("ON", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("no", false)]
    [InlineData("NO", false)]
    [InlineData("off", false)]
    public void Bool_Grammar_AcceptsEveryForm(string text, bool expected)
    {
        var reader = Reader(("FLAG", text));

        Assert.Equal(expected, reader.Bool("FLAG", !expected));
        Assert.True(reader.IsValid);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("y")]
    [InlineData("enabled")]
    [InlineData("-1")]
    [InlineData("tru")]
    public void Bool_Invalid_ReportsGrammarAndKeepsDefault(string text)
    {
        var reader = Reader(("FLAG", text));

        Assert.True(reader.Bool("FLAG", true));
        Assert.Equal($"FLAG: must be 1, 0, true, false, yes, no, on or off (got '{text}')", Assert.Single(reader.Problems));
    }

    [Fact]
    public void Getters_InvalidValues_ReportEveryProblemAtOnceAndKeepDefaults()
    {
        var reader = Reader(("WHOLE", "abc"), ("RANGE", "101"), ("NUMBER", "NaN"), ("MS", "1.5"), ("SECONDS", "-1"), ("DAY", "someday"),
            ("PORT", "70000"), ("ADDRESS", "example.com"), ("URL", "ftp://x"), ("CUSTOM", "x"));

        Assert.Equal(5, reader.WholeNumber("WHOLE", 5, 1, 100));
        Assert.Null(reader.OptionalWholeNumber("RANGE", 1, 100));
        Assert.Equal(2, reader.Number("NUMBER", 2, 1, 10));
        Assert.Equal(TimeSpan.FromSeconds(1), reader.Milliseconds("MS", TimeSpan.FromSeconds(1), 1, 600_000));
        Assert.Equal(TimeSpan.FromSeconds(15), reader.Seconds("SECONDS", TimeSpan.FromSeconds(15), 0, 3600));
        Assert.Equal(DayOfWeek.Monday, reader.Enum("DAY", DayOfWeek.Monday));
        Assert.Equal(8000, reader.Port("PORT", 8000));
        Assert.Equal("0.0.0.0", reader.ListenAddress("ADDRESS", "0.0.0.0"));
        Assert.Null(reader.OptionalHttpUrl("URL"));
        Assert.Equal(0, reader.Parse("CUSTOM", 0, static (string text, out int value) => int.TryParse(text, out value), "a custom thing"));

        Assert.Equal(
        [
            "WHOLE: must be a whole number from 1 to 100 (got 'abc')",
            "RANGE: must be a whole number from 1 to 100 (got '101')",
            "NUMBER: must be a number from 1 to 10 (got 'NaN')",
            "MS: must be a whole number of milliseconds from 1 to 600000 (got '1.5')",
            "SECONDS: must be a number of seconds from 0 to 3600 (got '-1')",
            "DAY: must be sunday, monday, tuesday, wednesday, thursday, friday or saturday (got 'someday')",
            "PORT: must be a port number from 0 to 65535 (got '70000')",
            "ADDRESS: must be an IP address, '*' or 'localhost' (got 'example.com')",
            "URL: must be an absolute http or https URL (got 'ftp://x')",
            "CUSTOM: must be a custom thing (got 'x')",
        ], reader.Problems);
        Assert.False(reader.IsValid);
    }

    [Fact]
    public void Secret_TooShort_NeverEchoesTheValue()
    {
        const string token = "short-s3cr3t";
        var reader = Reader(("ACGS_ADMIN_TOKEN", token));

        Assert.Equal(token, reader.Secret("ACGS_ADMIN_TOKEN", 16));

        var problem = Assert.Single(reader.Problems);
        Assert.StartsWith("ACGS_ADMIN_TOKEN: must be at least 16 characters", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(token, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", string.Join("\n", reader.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalHttpUrl_InvalidUrlWithCredentials_NeverEchoesThem()
    {
        var reader = Reader(("URL", "ftp://admin:s3cr3t@cp:8000/x"), ("PLAIN", "ftp://cp/a@b"));

        Assert.Null(reader.OptionalHttpUrl("URL"));
        Assert.Null(reader.OptionalHttpUrl("PLAIN"));

        Assert.Equal(
        [
            "URL: must be an absolute http or https URL (got 'ftp://***@cp:8000/x')",
            "PLAIN: must be an absolute http or https URL (got 'ftp://cp/a@b')",
        ], reader.Problems);
    }

    [Fact]
    public void Report_ValueWithControlCharactersOrLong_StaysOneShortLine()
    {
        var reader = Reader(("PORT", "80\n81\r\u001b[31m"), ("LONG", new string('9', 500)));

        reader.Port("PORT", 1);
        reader.WholeNumber("LONG", 1, 1, 2);

        Assert.Equal("PORT: must be a port number from 0 to 65535 (got '80?81??[31m')", reader.Problems[0]);
        Assert.All(reader.Problems, static p => Assert.DoesNotContain('\n', p));
        Assert.Equal("LONG: must be a whole number from 1 to 2 (got '" + new string('9', SettingsReader.MaxShownLength) + "…')", reader.Problems[1]);
    }

    [Fact]
    public void ReportAll_ValidatorMessages_PrefixedWithTheName()
    {
        var reader = Reader();

        reader.ReportAll("CONSTITUTIONAL_HASH", ["'x' is not 16 hex digits", "too many"]);
        reader.ReportGeneral("A and B must be set together");

        Assert.Equal(["CONSTITUTIONAL_HASH: 'x' is not 16 hex digits", "CONSTITUTIONAL_HASH: too many", "A and B must be set together"], reader.Problems);
    }

    [Fact]
    public void Report_SameProblemTwice_ListedOnce()
    {
        var reader = Reader(("CONSTITUTIONAL_HASH", "XYZ"), ("PORT", "x"));

        reader.Port("PORT", 1);
        reader.ReportAll("CONSTITUTIONAL_HASH", ["not 16 hex digits"]);
        reader.Port("PORT", 1);
        reader.ReportAll("CONSTITUTIONAL_HASH", ["not 16 hex digits"]);

        Assert.Equal(2, reader.Problems.Count);
    }

    [Theory]
    [InlineData("*", "0.0.0.0")]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("::", "::")]
    public void TryParseListenAddress_Forms_MapToAddresses(string text, string expected)
    {
        Assert.True(SettingsReader.TryParseListenAddress(text, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Fact]
    public void Alternatives_Names_JoinedInLowercase()
    {
        Assert.Equal("a", SettingsReader.Alternatives(["A"]));
        Assert.Equal("enforce, audit or off", SettingsReader.Alternatives(["Enforce", "Audit", "Off"]));
    }
}
