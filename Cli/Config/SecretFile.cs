namespace NymGateway.Cli.Config;

/// <summary>Writes a text file atomically (a temporary file, then a rename); one holding a secret is 0600 from its creation on.</summary>
public static class SecretFile
{
    public static void Write(string path, string text, bool secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }
        // The rename replaces the old file with its mode: a file that now holds a password is not left readable by others.
        File.Move(temporary, path, overwrite: true);
    }
}
