namespace CniSharp.Plugins.Shared;

/// <summary>The kernel's rules for a link name (dev_valid_name): 1–15 bytes, not "." or "..", no '/', ':' or whitespace.</summary>
internal static class InterfaceName
{
    public const int MaxLength = 15;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name == "." || name == "..")
            return false;
        foreach (char c in name)
            if (c == '/' || c == ':' || char.IsWhiteSpace(c) || c == '\0' || c > 0x7e)
                return false;
        return true;
    }
}
