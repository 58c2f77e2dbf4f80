namespace Cema.Torch.Optim;

/// <summary>
/// Adam (optionally AMSGrad), PyTorch 1.13's <c>torch.optim.Adam</c> single-tensor update with bias
/// correction, operation for operation. Per parameter it keeps "step" (a float32 scalar, as PyTorch),
/// "exp_avg", "exp_avg_sq" and, with amsgrad, "max_exp_avg_sq".
/// </summary>
public class Adam : Optimizer
{
    private static readonly string[] stateNames = { "step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq" };
    private double lr_, beta1_, beta2_, eps_, weightDecay;

    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false)
        : base(parameters)
    {
        this.lr = lr;
        betas = (beta1, beta2);
        this.eps = eps;
        this.weight_decay = weight_decay;
        this.amsgrad = amsgrad;
    }

    public double lr
    {
        get => lr_;
        set => lr_ = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(lr), value, $"Invalid learning rate: {value}");
    }

    /// <summary>Decay rates of the first and second moment estimates, each in [0, 1).</summary>
    public (double beta1, double beta2) betas
    {
        get => (beta1_, beta2_);
        set
        {
            if (value.beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(betas), value, $"Invalid beta parameter at index 0: {value.beta1}");
            if (value.beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(betas), value, $"Invalid beta parameter at index 1: {value.beta2}");
            (beta1_, beta2_) = value;
        }
    }

    public double eps
    {
        get => eps_;
        set => eps_ = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(eps), value, $"Invalid epsilon value: {value}");
    }

    /// <summary>L2 penalty added to the gradient (Adam's, not AdamW's decoupled decay).</summary>
    public double weight_decay
    {
        get => weightDecay;
        set => weightDecay = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(weight_decay), value, $"Invalid weight_decay value: {value}");
    }

    /// <summary>Normalize by the largest second moment seen so far (AMSGrad) instead of the current one.</summary>
    public bool amsgrad { get; }

    protected override IReadOnlyCollection<string> StateNames => stateNames;

    protected override void ValidateState(int index, Tensor parameter, IReadOnlyDictionary<string, Tensor> parameterState)
    {
        var required = amsgrad ? stateNames : stateNames[..3];
        var missing = required.Where(n => !parameterState.ContainsKey(n)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"optimizer state of parameter {index} lacks {string.Join(", ", missing)}");
        foreach (var (name, value) in parameterState)
        {
            if (name == "step")
            {
                if (value.numel() != 1) throw new ArgumentException($"optimizer state '{index}.step' must hold one number, it has shape [{string.Join(", ", value.shape)}]");
            }
            else
            {
                RequireParameterShape(index, name, parameter, value);
            }
        }
    }

    protected override void Update(int index, Tensor param, Tensor grad)
    {
        if (GetState(index, "step") is null)
        {
            SetState(index, "step", torch.scalar_tensor(0.0));
            SetState(index, "exp_avg", torch.zeros_like(param));
            SetState(index, "exp_avg_sq", torch.zeros_like(param));
            if (amsgrad) SetState(index, "max_exp_avg_sq", torch.zeros_like(param));
        }
        var step_t = GetState(index, "step")!;
        var exp_avg = GetState(index, "exp_avg")!;
        var exp_avg_sq = GetState(index, "exp_avg_sq")!;
        var (beta1, beta2) = betas;

        step_t.add_(1);
        if (weight_decay != 0) grad = grad.clone().add_(param, weight_decay);

        // Decay the first and second moment running average coefficient.
        exp_avg.mul_(beta1).add_(grad, 1 - beta1);
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);

        double step = step_t.item().ToDouble();
        double bias_correction1 = 1 - Math.Pow(beta1, step);
        double bias_correction2 = 1 - Math.Pow(beta2, step);
        double step_size = lr / bias_correction1;
        double bias_correction2_sqrt = Math.Sqrt(bias_correction2);

        Tensor denom;
        if (amsgrad)
        {
            var max_exp_avg_sq = GetState(index, "max_exp_avg_sq")!;
            max_exp_avg_sq.copy_(max_exp_avg_sq.maximum(exp_avg_sq));
            denom = (max_exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps);
        }
        else
        {
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps);
        }
        param.addcdiv_(exp_avg, denom, -step_size);
    }
}
