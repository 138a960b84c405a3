package dev.descent.optim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.descent.optim.Problem.PARABOLA;
import static dev.descent.optim.Problem.ROSENBROCK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * optax 0.2.8 float64 reference trajectories (optimizers.md §8.4): the parameters after updates
 * 1, 2, 3 and 100 on the §8.1 problems with the §8.1 configurations, one row per optimizer and
 * problem. Tolerance {@code 1e-9·|expected| + 1e-10}: 1e-9 relative, plus one unit in the 10th
 * decimal because the table rounds small values to 10 decimals (e.g. {@code 0.0003162274}).
 * Step 100 holds to the same tolerance: none of these runs is chaotic within 100 steps.
 */
class OptaxReferenceTest {
    private static final int[] CHECKPOINTS = {1, 2, 3, 100};

    private static Arguments row(String config, Supplier<GradientTransformation> optimizer, Problem problem,
                                 double[] step1, double[] step2, double[] step3, double[] step100) {
        return Arguments.of(config, optimizer, problem, new double[][] {step1, step2, step3, step100});
    }

    private static double[] x(double... values) {
        return values;
    }

    static Stream<Arguments> references() {
        return Stream.of(
                row("adabelief(lr=0.01)", () -> Optimizers.adabelief(0.01), PARABOLA,
                        x(-0.9888888889, 9.9888888889, 1), x(-0.977210771, 9.9772091833, 1),
                        x(-0.9649607517, 9.9649543705, 1), x(0.759386229, 7.0312900711, 1)),
                row("adadelta(lr=0.1)", () -> Optimizers.adadelta(0.1), PARABOLA,
                        x(-0.9996837723, 9.9996837722, 1), x(-0.9993593539, 9.9993593338, 1),
                        x(-0.9990293316, 9.9990292638, 1), x(-0.9596921315, 9.9594408932, 1)),
                row("adagrad(lr=1.0)", () -> Optimizers.adagrad(1.0), PARABOLA,
                        x(-3.1104305375e-03, 9.0001032899, 1), x(0.4440997036, 8.3274647356, 1),
                        x(0.6846555296, 7.7960078361, 1), x(1, -0.5002456178, 1)),
                row("adamax(lr=0.1)", () -> Optimizers.adamax(0.1), PARABOLA,
                        x(-0.9000000003, 9.9, 1), x(-0.8025341135, 9.8003788478, 1),
                        x(-0.7076482356, 9.7011520505, 1), x(0.9982110252, 2.8709905708, 1)),
                row("adamaxw(lr=0.1)", () -> Optimizers.adamaxw(0.1), PARABOLA,
                        x(-0.8999900002, 9.8999, 0.99999), x(-0.8025153771, 9.8001803278, 1.0525852764),
                        x(-0.7076219867, 9.7008564985, 1.0156807006), x(0.9980242093, 2.8673741999, 0.9998656991)),
                row("adamw(lr=0.1)", () -> Optimizers.adamw(0.1), PARABOLA,
                        x(-0.8999900002, 9.8999, 0.99999), x(-0.8001475066, 9.7998258737, 1.0743411144),
                        x(-0.7005964659, 9.6997944502, 1.0104567527), x(1.0083615559, 1.9943857562, 1.000028379)),
                row("amsgrad(lr=0.1)", () -> Optimizers.amsgrad(0.1), PARABOLA,
                        x(-0.9000000003, 9.9, 1), x(-0.8026315794, 9.800478469, 1),
                        x(-0.70793358, 9.7014496919, 1), x(1.0010067541, 3.0951462879, 1)),
                row("lion(lr=0.01, wd=1e-4)", () -> Optimizers.lion(Schedule.constant(0.01), 0.9, 0.99, 1e-4), PARABOLA,
                        x(-0.989999, 9.98999, 0.999999), x(-0.97999801, 9.97998001, 1.009998),
                        x(-0.96999703, 9.96997003, 0.99999699), x(5.0496667123e-05, 8.9990495479, 0.98989999495)),
                row("nadam(lr=0.01)", () -> Optimizers.nadam(0.01), PARABOLA,
                        x(-0.9852631579, 9.9852631579, 1), x(-0.9737107849, 9.9736937862, 1),
                        x(-0.9629553969, 9.9629164024, 1), x(-0.0938901577, 9.007590111, 1)),
                row("nadamw(lr=0.01)", () -> Optimizers.nadamw(0.01), PARABOLA,
                        x(-0.9852621579, 9.9852531579, 0.999999), x(-0.9737088011, 9.9736738035, 1.0120496474),
                        x(-0.9629524415, 9.9628864499, 1.0011302659), x(-0.0938452345, 9.0066565289, 0.9999998692)),
                row("radam(lr=0.005)", () -> Optimizers.radam(0.005), PARABOLA,
                        x(-0.98, 9.89, 1), x(-0.9601052632, 9.7805789474, 1),
                        x(-0.9403188969, 9.6717539328, 1), x(-0.833142129, 9.3875834214, 1)),
                row("sign_sgd(lr=0.1)", () -> Optimizers.signSgd(0.1), PARABOLA,
                        x(-0.9, 9.9, 1), x(-0.8, 9.8, 1),
                        x(-0.7, 9.7, 1), x(1, 1.8790524692e-14, 1)),
                row("yogi(lr=0.1)", () -> Optimizers.yogi(0.1), PARABOLA,
                        x(-0.900028342, 9.9000046076, 0.9999724119), x(-0.800248328, 9.8000592734, 1.0000784492),
                        x(-0.7007855998, 9.7001809418, 0.9998590923), x(1.0092366248, 2.0803651872, 0.996597546)),
                row("adabelief(lr=0.01)", () -> Optimizers.adabelief(0.01), ROSENBROCK,
                        x(0.0111111111, 0), x(0.0227870727, 0.0082681869),
                        x(0.0350482949, 0.0012840457), x(0.8495922874, 0.7212283994)),
                row("adadelta(lr=0.1)", () -> Optimizers.adadelta(0.1), ROSENBROCK,
                        x(0.0003162274, 0), x(6.4062118474e-04, 1.9999550015e-06),
                        x(9.7058495356e-04, -2.9631857956e-05), x(0.0400000863, 0.0021033696)),
                row("adagrad(lr=1.0)", () -> Optimizers.adagrad(1.0), ROSENBROCK,
                        x(0.9877295846, 0), x(-0.0122566163, 0.9999986867),
                        x(-0.019721691, 0.2842700896), x(0.3446816831, 0.1163231039)),
                row("adamax(lr=0.1)", () -> Optimizers.adamax(0.1), ROSENBROCK,
                        x(0.0999999995, 0), x(0.1842948204, 0.0526315787),
                        x(0.2565311709, 0.0335221432), x(0.86264937, 0.7436313198)),
                row("adamaxw(lr=0.1)", () -> Optimizers.adamaxw(0.1), ROSENBROCK,
                        x(0.0999999995, 0), x(0.1842938204, 0.0526315787),
                        x(0.256528073, 0.0335212656), x(0.8624162017, 0.7432245455)),
                row("adamw(lr=0.1)", () -> Optimizers.adamw(0.1), ROSENBROCK,
                        x(0.0999999995, 0), x(0.197571049, 0.0744136818),
                        x(0.2900060821, 0.0285761186), x(0.9307832574, 0.8663285651)),
                row("amsgrad(lr=0.1)", () -> Optimizers.amsgrad(0.1), ROSENBROCK,
                        x(0.0999999995, 0), x(0.1842105256, 0.0744136818),
                        x(0.275935336, 0.0261835624), x(0.8376666777, 0.7005595253)),
                row("lion(lr=0.01, wd=1e-4)", () -> Optimizers.lion(Schedule.constant(0.01), 0.9, 0.99, 1e-4), ROSENBROCK,
                        x(0.01, 0), x(0.01999999, 0.01),
                        x(0.02999997, -9.9999999992e-09), x(0.8399530216, 0.7099715707)),
                row("nadam(lr=0.01)", () -> Optimizers.nadam(0.01), ROSENBROCK,
                        x(0.014736842, 0), x(0.0262663093, 0.0121368402),
                        x(0.0371563756, 0.0012974332), x(0.7097875036, 0.5029200286)),
                row("nadamw(lr=0.01)", () -> Optimizers.nadamw(0.01), ROSENBROCK,
                        x(0.014736842, 0), x(0.0262662946, 0.0121368402),
                        x(0.0371563345, 0.0012974211), x(0.7097639925, 0.5028866642)),
                row("radam(lr=0.005)", () -> Optimizers.radam(0.005), ROSENBROCK,
                        x(0.01, 0), x(1.9946315789e-02, 5.2631578947e-05),
                        x(0.0298337567, 0.0002132308), x(0.1168293146, 0.0135519707)),
                row("sign_sgd(lr=0.1)", () -> Optimizers.signSgd(0.1), ROSENBROCK,
                        x(0.1, 0), x(0.2, 0.1),
                        x(0.3, 0), x(0.2, 0.1)),
                row("yogi(lr=0.1)", () -> Optimizers.yogi(0.1), ROSENBROCK,
                        x(0.099937090099, -2.7588087029e-05), x(0.1974098294, 0.0743240452),
                        x(0.2898070297, 0.0285426227), x(0.9290040659, 0.8624598311)));
    }

    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("references")
    void matchesOptax(String config, Supplier<GradientTransformation> optimizer, Problem problem, double[][] expected) {
        double[][] actual = problem.run(optimizer.get(), CHECKPOINTS);
        for (int c = 0; c < CHECKPOINTS.length; c++) {
            for (int i = 0; i < expected[c].length; i++) {
                double e = expected[c][i];
                assertEquals(e, actual[c][i], 1e-9 * Math.abs(e) + 1e-10,
                        config + " on " + problem + ", step " + CHECKPOINTS[c] + ", x[" + i + "]");
            }
        }
    }
}
