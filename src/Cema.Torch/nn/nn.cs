using Cema.Torch.Modules;

namespace Cema.Torch;

public static partial class torch
{
    /// <summary>
    /// Layer factories, as PyTorch's <c>torch.nn</c> (the classes are in <see cref="Cema.Torch.Modules"/>).
    /// Argument names follow TorchSharp (kernelSize, ceilMode, …) so code ported from it compiles;
    /// the modules' attributes keep PyTorch's names (kernel_size, ceil_mode, …).
    /// </summary>
    public static partial class nn
    {
        public static Modules.Conv2d Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true) =>
            new(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias);

        public static Modules.Conv2d Conv2d(long inChannels, long outChannels, (long h, long w) kernelSize, (long h, long w)? stride = null, (long h, long w)? padding = null,
            (long h, long w)? dilation = null, long groups = 1, bool bias = true) =>
            new(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias);

        public static Modules.BatchNorm2d BatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true) =>
            new(numFeatures, eps, momentum, affine, trackRunningStats);

        public static Modules.Linear Linear(long inFeatures, long outFeatures, bool bias = true) => new(inFeatures, outFeatures, bias);

        /// <summary>Children named "0", "1", … in the given order.</summary>
        public static Modules.Sequential Sequential(params Module[] modules) => new(modules);

        /// <summary>Children with the given names, in the given order.</summary>
        public static Modules.Sequential Sequential(IEnumerable<(string name, Module module)> modules) => new(modules);

        public static Modules.ReLU ReLU(bool inplace = false) => new(inplace);

        public static Modules.Dropout Dropout(double p = 0.5) => new(p);

        public static Modules.MaxPool2d MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false) =>
            new((kernelSize, kernelSize), Square(stride ?? kernelSize), (padding, padding), (dilation, dilation), ceilMode);

        public static Modules.MaxPool2d MaxPool2d((long h, long w) kernelSize, (long h, long w)? stride = null, (long h, long w)? padding = null, (long h, long w)? dilation = null, bool ceilMode = false) =>
            new(kernelSize, stride, padding, dilation, ceilMode);

        public static Modules.AvgPool2d AvgPool2d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true) =>
            new((kernelSize, kernelSize), Square(stride ?? kernelSize), (padding, padding), ceilMode, countIncludePad);

        public static Modules.AvgPool2d AvgPool2d((long h, long w) kernelSize, (long h, long w)? stride = null, (long h, long w)? padding = null, bool ceilMode = false, bool countIncludePad = true) =>
            new(kernelSize, stride, padding, ceilMode, countIncludePad);

        public static Modules.AdaptiveAvgPool2d AdaptiveAvgPool2d(long outputSize) => new((outputSize, outputSize));

        public static Modules.AdaptiveAvgPool2d AdaptiveAvgPool2d((long h, long w) outputSize) => new(outputSize);

        public static Modules.Flatten Flatten(long startDim = 1, long endDim = -1) => new(startDim, endDim);

        public static Modules.Identity Identity() => new();

        private static (long, long) Square(long v) => (v, v);
    }
}
