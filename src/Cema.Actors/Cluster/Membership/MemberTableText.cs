using System.Globalization;
using System.Text;

namespace Cema.Actors.Cluster.Membership;

/// <summary>The member table as <c>./cema cloud</c> prints it.</summary>
public static class MemberTableText
{
    public static string Render(MemberTable table, DateTime utcNow)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"members at {utcNow:HH:mm:ss} ({table.Members.Count}); latest versions: ")
            .Append(table.LatestVersions.Count == 0 ? "none yet" : string.Join(", ", table.LatestVersions.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} v{kv.Value}")))
            .Append('\n');
        text.Append("  node             role         group        status       version   frames  uploaded   steps  accuracy  heartbeat\n");
        foreach (var m in table.Members)
        {
            bool edge = m.Role == MemberRole.Edge;
            text.Append(CultureInfo.InvariantCulture,
                $"  {m.Node,-16} {m.Role.ToString().ToLowerInvariant(),-12} {(m.Group.Length == 0 ? "-" : m.Group),-12} {m.Status.ToString().ToLowerInvariant(),-12} " +
                $"{(edge ? m.ParamsVersion.ToString(CultureInfo.InvariantCulture) : "-"),7} {(edge ? m.FramesSeen.ToString(CultureInfo.InvariantCulture) : "-"),8} " +
                $"{(edge ? m.SamplesUploaded.ToString(CultureInfo.InvariantCulture) : "-"),9} {(edge ? "-" : m.StepsDone.ToString(CultureInfo.InvariantCulture)),7} " +
                $"{(edge ? (100 * m.Accuracy).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-"),9}  {m.SinceHeartbeat.TotalSeconds:0.0}s ago\n");
        }
        return text.ToString().TrimEnd('\n');
    }
}
