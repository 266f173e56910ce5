using CniSharp.Cni;
using CniSharp.Files;

namespace CniSharp.Ipam.HostLocal;

// GC (spec 1.1.0). Upstream host-local has none (plugins#1047); this follows the unmerged PRs #1021/#1289.
internal sealed partial class HostLocalIpam
{
    /// <summary>
    /// Releases every reservation whose "containerID\r\nifname" is not a valid attachment, keeping legacy
    /// id-only reservations whose id is valid. Keeps going past failures and reports them all at the end
    /// (code 5). Returns how many reservations were released.
    /// </summary>
    public int Gc(NetConf conf, IReadOnlyCollection<GcAttachment> validAttachments)
    {
        IpamConfig config = IpamConfig.Load(conf, cniArgs: null);
        IIpamStore store = _openStore(config);
        if (!store.Exists) return 0;

        var validKeys = new HashSet<string>(StringComparer.Ordinal);
        var validIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (GcAttachment attachment in validAttachments)
        {
            validKeys.Add(IpReservation.OwnerKey(attachment.ContainerId, attachment.IfName));
            validIds.Add(attachment.ContainerId.Trim());
        }

        int released = 0;
        var errors = new List<string>();
        using (LockStore(store, config))
        {
            foreach (IpReservation reservation in Guard(config, "list reservations", store.List))
            {
                bool legacy = !reservation.Owner.Contains(IpReservation.LineBreak, StringComparison.Ordinal);
                if (validKeys.Contains(reservation.Owner) || (legacy && validIds.Contains(reservation.Owner))) continue;
                try
                {
                    if (store.Release(reservation.Address)) released++;
                }
                catch (Exception ex) when (FileErrors.IsFileSystemFailure(ex))
                {
                    errors.Add($"{IpText.Format(reservation.Address)}: {ex.Message}");
                }
            }
        }
        if (errors.Count > 0)
            throw new CniException(CniErrorCode.IOFailure,
                $"host-local GC: released {released} reservation(s) in {config.NetworkDir} but failed on {errors.Count}: {string.Join("; ", errors)}");
        return released;
    }
}
