namespace Cema.Bench;

/// <summary>Finds files of the source tree from a built binary (benchmarks run from bin/).</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CemaActors.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException($"no CemaActors.sln above {AppContext.BaseDirectory}: run benchmarks from a checkout (./cema bench …)");
        }
    }

    public static string NativeBenchmark(string name)
    {
        string path = Path.Combine(Root, "src", "Cema.Torch", "native", "build", name);
        if (!File.Exists(path)) throw new FileNotFoundException($"the C++ peer benchmark {path} is missing: build with ./cema (CMake builds it with the native shim)", path);
        return path;
    }
}
