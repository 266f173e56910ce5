using CniSharp.Cni;
using CniSharp.Ipam;

namespace CniSharp.Attachments;

// STATUS (spec 1.1): what the records and the IPAM say about whether an ADD could succeed.
internal sealed partial class AttachmentLifecycle
{
    /// <summary>
    /// Code 50 unless records can be written, and the attachments of an earlier boot are reclaimed first, so they
    /// neither fill the range nor count as impaired.
    /// </summary>
    public void ProbeReady(CniArgs args)
    {
        NotAvailableUnless(Store.ProbeWritable);
        NotAvailableUnless(() => ReclaimEarlierBoots(args));
    }

    /// <summary>Attachments whose ADD completed: the pods that lose connectivity when the shared host side breaks.</summary>
    public List<AttachmentRecord> ReadyAttachments() =>
        Store.List().Select(e => e.Record).OfType<AttachmentRecord>().Where(r => r.Phase == AttachmentRecord.PhaseReady).ToList();

    /// <summary>The IPAM's own answer (a full range, an unusable data dir: 50); nothing for L2-only networks.</summary>
    public void IpamStatus(CniArgs args)
    {
        if (_conf.IsLayer3)
            Ipam.Status(new IpamRequest(args, _conf));
    }

    private static void NotAvailableUnless(Action probe)
    {
        try
        {
            probe();
        }
        catch (CniException e) when (e.Code == CniErrorCode.IOFailure)
        {
            throw new CniException(CniErrorCode.NotAvailable, e.Message, e.Details, e);
        }
    }
}
