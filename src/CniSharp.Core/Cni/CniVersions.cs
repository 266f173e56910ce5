namespace CniSharp.Cni;

/// <summary>The spec versions CniSharp speaks and how to compare them.</summary>
internal static class CniVersions
{
    public const string Latest = "1.1.0";

    /// <summary>What a config without cniVersion means (libcni treats it as 0.1.0).</summary>
    public const string Implicit = "0.1.0";

    public static readonly string[] Supported = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    public static bool IsSupported(string version) => Array.IndexOf(Supported, version) >= 0;

    /// <summary>Compares dotted versions numerically ("0.10.0" &gt; "0.4.0").</summary>
    public static int Compare(string a, string b)
    {
        int[] x = Parse(a), y = Parse(b);
        for (int i = 0; i < 3; i++)
            if (x[i] != y[i]) return x[i].CompareTo(y[i]);
        return 0;
    }

    public static bool AtLeast(string version, string minimum) => Compare(version, minimum) >= 0;

    private static int[] Parse(string version)
    {
        int[] parts = new int[3];
        string[] fields = version.Split('.');
        if (fields.Length != 3)
            throw new CniException(CniErrorCode.IncompatibleVersion, $"invalid cniVersion \"{version}\": expected MAJOR.MINOR.PATCH");
        for (int i = 0; i < 3; i++)
            if (!int.TryParse(fields[i], System.Globalization.NumberStyles.None, null, out parts[i]))
                throw new CniException(CniErrorCode.IncompatibleVersion, $"invalid cniVersion \"{version}\": expected MAJOR.MINOR.PATCH");
        return parts;
    }
}
