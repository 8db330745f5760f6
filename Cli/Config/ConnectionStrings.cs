using System.Data.Common;
using System.Text.RegularExpressions;

namespace NymGateway.Cli.Config;

/// <summary>The password inside an ADO.NET connection string: whether there is one, and the string with it masked.</summary>
public static partial class ConnectionStrings
{
    private static readonly string[] PasswordKeys = ["password", "pwd", "psw"];

    public static bool HasPassword(string connectionString) =>
        Parse(connectionString) is { } builder ? PasswordKeys.Any(builder.ContainsKey) : connectionString.Contains("password", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string as written, with the value of each password key replaced by "***".</summary>
    public static string Mask(string connectionString) => PasswordValue().Replace(connectionString, "$1***");

    public static bool IsWellFormed(string connectionString) => Parse(connectionString) is not null;

    [GeneratedRegex("""((?:^|;)\s*(?:password|pwd|psw)\s*=\s*)(?:"[^"]*"|'[^']*'|[^;]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordValue();

    private static DbConnectionStringBuilder? Parse(string connectionString)
    {
        try
        {
            return new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
