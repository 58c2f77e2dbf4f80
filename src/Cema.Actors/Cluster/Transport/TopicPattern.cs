namespace Cema.Actors.Cluster.Transport;

/// <summary>AMQP topic matching, so the in-process transport routes as a RabbitMQ topic exchange does: words split on '.', '*' one word, '#' zero or more.</summary>
public static class TopicPattern
{
    public static bool Matches(string pattern, string key) => Match(pattern.Split('.'), 0, key.Split('.'), 0);

    private static bool Match(string[] p, int i, string[] k, int j)
    {
        if (i == p.Length) return j == k.Length;
        if (p[i] == "#")
        {
            for (int skip = j; skip <= k.Length; skip++)
                if (Match(p, i + 1, k, skip)) return true;
            return false;
        }
        if (j == k.Length) return false;
        return (p[i] == "*" || p[i] == k[j]) && Match(p, i + 1, k, j + 1);
    }
}
