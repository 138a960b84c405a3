package dev.descent.optim;

import dev.descent.data.Dataset;
import dev.descent.data.Mnist;
import dev.descent.data.Normalizer;
import dev.descent.io.Json;
import dev.descent.io.StateCodec;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Tensor;
import dev.descent.train.Trainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.descent.optim.Problem.PARABOLA;
import static dev.descent.optim.Problem.ROSENBROCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One row per optimizer of {@link OptimizerRegistry}, built through the table ({@code create(name,
 * settings)}) as the command line builds them, and checked against
 * <ul>
 * <li><b>optax's trajectories</b> (optimizers.md §8.4, optax 0.2.8 in float64): the parameters after
 *     updates 1, 2, 3 and 100 on the §8.1 parabola and Rosenbrock problems, printed with 10
 *     significant digits or 10 decimals; tolerance 1e-9 relative plus 1e-10 absolute (the printed
 *     precision). None of these runs is chaotic within 100 steps except where a row says so;</li>
 * <li><b>optax's matrix updates</b> (§8.5): two updates on a 3×4 matrix, the paths that depend on
 *     shape (factoring, SM3 covers, per-tensor norms), 8 significant digits; tolerance 1e-7 relative
 *     plus 5.1e-9 absolute;</li>
 * <li><b>PyTorch's trajectories</b> where torch 1.13 has the same rule ({@link TorchReference});</li>
 * <li><b>optax's convergence check</b> ({@code alias_test.py}, §8.1): 10 000 updates (L-BFGS: 100)
 *     on both problems must end within {@code 3e-2 + 3e-2·|x*|} of the minimum;</li>
 * <li><b>resuming</b>: with its defaults, 3 updates, the state through {@link StateCodec} and JSON
 *     as in a checkpoint, then 3 more, must equal 6 straight updates bit for bit;</li>
 * <li><b>a network</b>: the MNIST MLP 784-128-10 (ReLU), two epochs of batches of 128 on the full
 *     training set, above 95% test accuracy (L-BFGS, a full-batch method: 94%; on batches of 128 it
 *     lands between 94.2% and 95.5% after two epochs depending on the seed and the kernels' rounding),
 *     with the row's training settings ({@link OptimizerRegistry#trainingSettings}) and the row's
 *     overrides where its training rate does not reach that in two epochs.</li>
 * </ul>
 * A new optimizer is one new row here; {@link #everyOptimizerHasOneRow} fails until it has one.
 */
class OptimizerTableTest {
    /** optax's trajectories are compared after these updates. */
    private static final int[] STEPS = {1, 2, 3, 100};

    private static final List<Row> ROWS = List.of(
            row("adabelief")
                .trajectory("lr=0.01", PARABOLA,
                        x(-0.9888888889, 9.9888888889, 1), x(-0.977210771, 9.9772091833, 1),
                        x(-0.9649607517, 9.9649543705, 1), x(0.759386229, 7.0312900711, 1))
                .trajectory("lr=0.01", ROSENBROCK,
                        x(0.0111111111, 0), x(0.0227870727, 0.0082681869),
                        x(0.0350482949, 0.0012840457), x(0.8495922874, 0.7212283994))
                .matrix("lr=0.1",
                        x(-0.11111111, 0.11111111, -0.11111111, -0.0, -0.11111111, -0.11111111, 0.11111111, -0.11111111, 0.11111111, -0.11111111, -0.11111111, 0.11111111),
                        x(-0.09054352, 0.05546185, -0.06018823, -0.08268187, -0.0430084, -0.10880114, -0.00191709, -0.04918611, 0.03261375, 0.00556304, -0.11020809, -0.04606409))
                .converges("lr=1e-2").converges("lr=1e-2,weight_decay=1e-4")
                .network(""),
            row("adadelta")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.9996837723, 9.9996837722, 1), x(-0.9993593539, 9.9993593338, 1),
                        x(-0.9990293316, 9.9990292638, 1), x(-0.9596921315, 9.9594408932, 1))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.0003162274, 0), x(6.4062118474e-04, 1.9999550015e-06),
                        x(9.7058495356e-04, -2.9631857956e-05), x(0.0400000863, 0.0021033696))
                .matrix("lr=1",
                        x(-0.00316221, 0.00316226, -0.00316227, -0.0, -0.00316227, -0.00316202, 0.00316225, -0.00316228, 0.00316227, -0.00316226, -0.00316221, 0.00316221),
                        x(-0.0009225, -0.00092252, 0.00069843, -0.00316218, 0.00148249, -0.00415879, -0.00313635, 0.00121018, -0.00191663, 0.00324441, -0.00410654, -0.00415895))
                .torch("adadelta_rosenbrock").torch("adadelta_mlp")
                .converges("lr=0.1")
                .network(""),
            row("adafactor")
                // optax computes the second-moment decay in float32 (§1.6), this library in double
                .widerTolerance(2e-6)
                .trajectory("lr=0.005", PARABOLA,
                        x(-0.9708452405, 9.9708452405, 1), x(-0.9419646675, 9.9418149114, 1),
                        x(-0.9133501886, 9.9129067438, 1), x(0.7833153308, 7.5565002924, 1))
                .trajectory("lr=0.005", ROSENBROCK,
                        x(5e-06, 0), x(9.27092439e-06, 5.6355305744e-06),
                        x(1.3101109285e-05, -3.0834725686e-07), x(4.9241588652e-04, 2.7385045516e-06))
                .matrix("lr=0.1,min_dim_size_to_factor=2",
                        x(-0.02826912, 0.10036954, -0.13141458, -0.0, -0.05638925, -0.01668418, 0.03276707, -0.09453925, 0.11047666, -0.09806189, -0.03209829, 0.02315242),
                        x(-0.00930418, -0.02638375, 0.02926237, -0.02994228, 0.02933345, -0.04990834, -0.04305281, 0.03775985, -0.05867313, 0.09243265, -0.07517955, -0.06293975))
                .matrix("lr=0.1,min_dim_size_to_factor=2,momentum=0.9,weight_decay_rate=0.01",
                        x(-0.00382691, 0.00803695, -0.01614146, -0.004, -0.01063893, -0.00766842, -0.00372329, -0.01745392, 0.00204767, -0.01980619, -0.01420983, -0.00968476),
                        x(-0.00443792, 0.00431011, -0.01173477, -0.00695923, -0.0070304, -0.01242407, -0.00832621, -0.0125517, -0.00495469, -0.0093688, -0.02127727, -0.01612393))
                .matrix("",
                        x(-0.73598007, 0.73598007, -0.73598007, -0.0, -0.73598007, -0.73598007, 0.73598007, -0.73598007, 0.73598007, -0.73598007, -0.73598007, 0.73598007),
                        x(-0.27794832, -0.27794832, 0.21083644, -1.22825264, 0.44349891, -1.15612685, -0.90284536, 0.36343074, -0.56899177, 0.93084143, -1.14380091, -1.15612685))
                .converges("lr=5e-3")
                .network(""),
            row("adagrad")
                .trajectory("lr=1", PARABOLA,
                        x(-3.1104305375e-03, 9.0001032899, 1), x(0.4440997036, 8.3274647356, 1),
                        x(0.6846555296, 7.7960078361, 1), x(1, -0.5002456178, 1))
                .trajectory("lr=1", ROSENBROCK,
                        x(0.9877295846, 0), x(-0.0122566163, 0.9999986867),
                        x(-0.019721691, 0.2842700896), x(0.3446816831, 0.1163231039))
                .matrix("lr=0.1",
                        x(-0.08451541, 0.09534625, -0.09877296, -0.0, -0.09784921, -0.06201735, 0.09214426, -0.09944903, 0.09877296, -0.09534625, -0.08451541, 0.08451541),
                        x(-0.01666666, -0.01873172, 0.01465596, -0.07844644, 0.03100868, -0.08300573, -0.0652045, 0.02563365, -0.04061643, 0.06900655, -0.08807048, -0.08969221))
                .torch("adagrad_rosenbrock").torch("adagrad_mlp")
                .converges("lr=1")
                .network("lr=0.05"),
            row("adam")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.9000000003, 9.9, 1), x(-0.8001664861, 9.8000248467, 1),
                        x(-0.700623392, 9.7000913518, 1), x(1.0084228004, 1.9981786427, 1))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.0999999995, 0), x(0.197572049, 0.0744136818),
                        x(0.2900091222, 0.0285770752), x(0.9309460722, 0.8667127819))
                .torch("adam_rosenbrock").torch("adam_mlp").torch("adam_l2_rosenbrock").torch("adam_l2_mlp")
                .converges("lr=0.1")
                .network(""),
            row("adamax")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.9000000003, 9.9, 1), x(-0.8025341135, 9.8003788478, 1),
                        x(-0.7076482356, 9.7011520505, 1), x(0.9982110252, 2.8709905708, 1))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.0999999995, 0), x(0.1842948204, 0.0526315787),
                        x(0.2565311709, 0.0335221432), x(0.86264937, 0.7436313198))
                .torch("adamax_rosenbrock").torch("adamax_mlp")
                .converges("lr=0.1")
                .network(""),
            row("adamaxw")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.8999900002, 9.8999, 0.99999), x(-0.8025153771, 9.8001803278, 1.0525852764),
                        x(-0.7076219867, 9.7008564985, 1.0156807006), x(0.9980242093, 2.8673741999, 0.9998656991))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.0999999995, 0), x(0.1842938204, 0.0526315787),
                        x(0.256528073, 0.0335212656), x(0.8624162017, 0.7432245455))
                .matrix("lr=0.1,weight_decay=0.01",
                        x(-0.1001, 0.0998, -0.1003, -0.0004, -0.1005, -0.1006, 0.0993, -0.1008, 0.0991, -0.101, -0.1011, 0.0988),
                        x(-0.05795259, 0.03657918, -0.0397129, -0.05303118, -0.03025392, -0.07286782, -0.00255544, -0.0340659, 0.02270882, 0.00436416, -0.07516158, -0.03419354))
                .converges("lr=0.1")
                .network(""),
            row("adamw")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.8999900002, 9.8999, 0.99999), x(-0.8001475066, 9.7998258737, 1.0743411144),
                        x(-0.7005964659, 9.6997944502, 1.0104567527), x(1.0083615559, 1.9943857562, 1.000028379))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.0999999995, 0), x(0.197571049, 0.0744136818),
                        x(0.2900060821, 0.0285761186), x(0.9307832574, 0.8663285651))
                .torch("adamw_rosenbrock").torch("adamw_mlp")
                .converges("lr=0.1")
                .network(""),
            row("adan")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.9000000003, 9.9, 1), x(-0.8000590575, 9.8000048746, 1),
                        x(-0.7002051887, 9.7000158892, 1), x(0.5060717072, 0.62626465, 1))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.0999999994, 0), x(0.198037962, 0.0714110623),
                        x(0.287768752, 0.0316631224), x(1.1338232697, 1.2860609879))
                .matrix("lr=0.1,weight_decay=0.01",
                        x(-0.1001, 0.0998, -0.1003, -0.0004, -0.1005, -0.10059999, 0.0993, -0.1008, 0.0991, -0.101, -0.1011, 0.0988),
                        x(-0.07903307, 0.04643888, -0.05134728, -0.07181066, -0.03554449, -0.09267265, -0.00625179, -0.04158775, 0.02454247, 0.0077255, -0.09435862, -0.04379047))
                .converges("lr=0.1")
                .network(""),
            row("amsgrad")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.9000000003, 9.9, 1), x(-0.8026315794, 9.800478469, 1),
                        x(-0.70793358, 9.7014496919, 1), x(1.0010067541, 3.0951462879, 1))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.0999999995, 0), x(0.1842105256, 0.0744136818),
                        x(0.275935336, 0.0261835624), x(0.8376666777, 0.7005595253))
                .matrix("lr=0.1",
                        x(-0.1, 0.1, -0.1, -0.0, -0.1, -0.1, 0.1, -0.1, 0.1, -0.1, -0.1, 0.1),
                        x(-0.05789474, 0.0368421, -0.03947368, -0.07441368, -0.02982456, -0.09445512, -0.00175439, -0.03333333, 0.02368421, 0.00526316, -0.09546524, -0.04293415))
                // b2=0: the only setting where torch's amsgrad (max of the uncorrected v) equals optax's
                .torch("amsgrad_rosenbrock").torch("amsgrad_mlp")
                .converges("lr=0.1")
                .network(""),
            row("fromage")
                .trajectory("lr=0.005", PARABOLA,
                        x(-0.9909543413, 9.9501926283, 0.9999875002), x(-0.981953661, 9.9006328921, 0.9999750571),
                        x(-0.9729977317, 9.8513195399, 0.9999626702), x(-0.2853579412, 6.0649053026, 0.9989859169))
                .trajectory("lr=0.005", ROSENBROCK,
                        x(4.9999375012e-09, 0), x(9.9998125043e-09, 1.2499531327e-23),
                        x(1.499962501e-08, 6.2496869432e-23), x(4.9968451107e-07, 4.0991484442e-18))
                .matrix("lr=0.1",
                        x(-0.02716313, 0.05234114, -0.10815624, -0.00198512, -0.08248195, -0.01631111, 0.03652631, -0.16397134, 0.10220087, -0.05829651, -0.03212594, 0.02071148),
                        x(-0.010117, -0.02076336, 0.02831448, -0.04099735, 0.04670554, -0.06142986, -0.07194388, 0.07488767, -0.09277342, 0.09288171, -0.11261038, -0.1231244))
                .converges("lr=5e-3")
                .network(""),
            row("lamb")
                .trajectory("lr=0.001", PARABOLA,
                        x(-0.9928585723, 9.9928585708, 1), x(-0.985722921, 9.9857223624, 1),
                        x(-0.9785932244, 9.9785911825, 1), x(-0.3329497035, 9.2926122678, 1))
                .trajectory("lr=0.001", ROSENBROCK,
                        x(0.0009999995, 0), x(1.0008037516e-03, 5.9428804838e-07),
                        x(1.0015976238e-03, 1.2036939003e-06), x(1.1030339649e-03, 1.210547461e-06))
                .matrix("lr=0.1,weight_decay=0.01",
                        x(-0.07684742, 0.07661719, -0.07700108, -0.00030708, -0.07715461, -0.07723112, 0.07623331, -0.07738495, 0.07607983, -0.07753844, -0.07761513, 0.0758494),
                        x(-0.097915, 0.06195449, -0.06758222, -0.09119379, -0.04930021, -0.11577349, -0.00315717, -0.05641472, 0.03604858, 0.00529111, -0.1176139, -0.05388992))
                .converges("lr=1e-3")
                .network("lr=1e-2"),
            row("lars")
                .trajectory("lr=1", PARABOLA,
                        x(-0.9981933456, 9.990063401, 1), x(-0.9947624943, 9.9711937188, 1),
                        x(-0.9898732687, 9.9443029777, 1), x(0.1468970738, 3.6920660939, 1))
                .trajectory("lr=1", ROSENBROCK,
                        x(2, 0), x(3.7980596437, 4.8478607655e-04),
                        x(5.4125477369, 1.4166919849e-03), x(8.2986362931, 0.4495135758))
                .matrix("lr=0.1,weight_decay=0.01",
                        x(-2.68249224e-05, 5.34356737e-05, -1.07246147e-04, -2.14171037e-07, -8.05818526e-05, -1.37069464e-05, 3.97822701e-05, -1.61056620e-04, 1.06603634e-04, -5.40781868e-05, -2.73603499e-05, 2.61288665e-05),
                        x(-3.42024585e-05, 2.79719429e-05, -6.69388870e-05, -4.04329740e-05, -2.32193567e-05, -7.26965686e-05, -3.46163821e-05, -6.60640287e-05, 5.40266828e-06, 4.99381465e-05, -1.35284894e-04, -9.72047072e-05))
                .converges("lr=1")
                .network("lr=0.5"),
            row("lbfgs")
                .trajectory("", PARABOLA,
                        x(-0.6422291236, 8.0322601798, 1), x(1, -1, 1),
                        x(1, -1, 1), x(1, -1, 1))
                .trajectory("", ROSENBROCK,
                        x(0.178211708, 0), x(0.2522571254, 0.0479522234),
                        x(0.3328702221, 0.0849477535), x(1, 1))
                .converges("")
                .network(""),
            row("lion")
                .trajectory("lr=0.01,weight_decay=1e-4", PARABOLA,
                        x(-0.989999, 9.98999, 0.999999), x(-0.97999801, 9.97998001, 1.009998),
                        x(-0.96999703, 9.96997003, 0.99999699), x(5.0496667123e-05, 8.9990495479, 0.98989999495))
                .trajectory("lr=0.01,weight_decay=1e-4", ROSENBROCK,
                        x(0.01, 0), x(0.01999999, 0.01),
                        x(0.02999997, -9.9999999992e-09), x(0.8399530216, 0.7099715707))
                .matrix("lr=0.1",
                        x(-1.0001e-01, 9.9980e-02, -1.0003e-01, -4.0000e-05, -1.0005e-01, -1.0006e-01, 9.9930e-02, -1.0008e-01, 9.9910e-02, -1.0010e-01, -1.0011e-01, 9.9880e-02),
                        x(-0.1, -0.10003, 0.09998, -0.10004, 0.09996001, -0.10004999, -0.10007999, 0.09993001, -0.10009999, 0.09991001, -0.10009999, -0.10012999))
                .converges("lr=1e-2,weight_decay=1e-4")
                .network("lr=1e-4"),
            row("momentum")
                // the lecture's velocity form equals optax's sgd with momentum for a constant rate
                .trajectory("lr=0.001,momentum=0.9", PARABOLA,
                        x(-0.996, 9.978, 1), x(-0.988408, 9.936244, 1),
                        x(-0.977598384, 9.876791112, 1), x(0.7956409895, 0.1239745576, 1))
                .trajectory("lr=0.001,momentum=0.9", ROSENBROCK,
                        x(0.002, 0), x(5.7959968e-03, 8e-07),
                        x(1.1200725898e-02, 8.0787157811e-06), x(0.6909823872, 0.475969498))
                .converges("lr=1e-3,momentum=0.9")
                .network(""),
            row("nadam")
                .trajectory("lr=0.01", PARABOLA,
                        x(-0.9852631579, 9.9852631579, 1), x(-0.9737107849, 9.9736937862, 1),
                        x(-0.9629553969, 9.9629164024, 1), x(-0.0938901577, 9.007590111, 1))
                .trajectory("lr=0.01", ROSENBROCK,
                        x(0.014736842, 0), x(0.0262663093, 0.0121368402),
                        x(0.0371563756, 0.0012974332), x(0.7097875036, 0.5029200286))
                // b1=0: the only setting where torch 1.13's NAdam equals optax's nadam
                .torch("nadam_b1_0_rosenbrock").torch("nadam_b1_0_mlp")
                .converges("lr=1e-2")
                .network(""),
            row("nadamw")
                .trajectory("lr=0.01", PARABOLA,
                        x(-0.9852621579, 9.9852531579, 0.999999), x(-0.9737088011, 9.9736738035, 1.0120496474),
                        x(-0.9629524415, 9.9628864499, 1.0011302659), x(-0.0938452345, 9.0066565289, 0.9999998692))
                .trajectory("lr=0.01", ROSENBROCK,
                        x(0.014736842, 0), x(0.0262662946, 0.0121368402),
                        x(0.0371563345, 0.0012974211), x(0.7097639925, 0.5028866642))
                .matrix("lr=0.1,weight_decay=0.01",
                        x(-0.14746842, 0.14716842, -0.14766842, -0.0004, -0.14786842, -0.14796842, 0.14666842, -0.14816842, 0.14646842, -0.14836842, -0.14846842, 0.14616842),
                        x(-0.06522486, 0.01729764, -0.02395186, -0.12176804, -0.00206351, -0.1287475, -0.05277858, -0.01021658, -0.01231933, 0.05510098, -0.12893926, -0.09713209))
                .converges("lr=1e-2")
                .network(""),
            row("noisy_sgd")
                // without noise it is SGD: x* + (1 − 2·lr)^k·(x0 − x*) on the parabola, in closed form
                .trajectory("lr=0.001,eta=0", PARABOLA,
                        x(-0.996, 9.978, 1), x(-0.992008, 9.956044, 1),
                        x(-0.988023984, 9.934131912, 1), x(-0.637133609377, 8.00423485157, 1))
                .converges("lr=1e-3,eta=1e-4,key=0")
                .network("lr=0.1,eta=1e-4"),
            row("novograd")
                .trajectory("lr=0.001", PARABOLA,
                        x(-0.9998211146, 9.9990161301, 1), x(-0.9994812363, 9.9971467994, 1),
                        x(-0.9989964689, 9.9944805792, 1), x(-0.8372585439, 9.1049219916, 1))
                .trajectory("lr=0.001", ROSENBROCK,
                        x(0.0009999995, 0), x(2.8997482145e-03, 1.0007491135e-07),
                        x(5.6089809536e-03, 1.0229582061e-06), x(0.7072762344, 0.4988218218))
                .matrix("lr=0.1,weight_decay=0.01",
                        x(-0.01061176, 0.02082353, -0.04234706, -0.0004, -0.03203529, -0.00585588, 0.01506765, -0.06387059, 0.04114706, -0.02202353, -0.01161176, 0.00931176),
                        x(-0.01272146, 0.01235738, -0.02912555, -0.01308554, -0.01389231, -0.02435334, -0.00872457, -0.03356779, 0.00835785, 0.01001569, -0.0454353, -0.02980653))
                .converges("lr=1e-3")
                .network(""),
            row("optimistic_adam")
                // optax's optimistic_adam_v2
                .trajectory("lr=0.002", PARABOLA,
                        x(-0.9970526316, 9.9970526316, 1), x(-0.9953724015, 9.9953710512, 1),
                        x(-0.9933750965, 9.9933729631, 1), x(-0.8028822867, 9.799810254, 1))
                .trajectory("lr=0.002", ROSENBROCK,
                        x(0.0029473684, 0), x(0.0046259379, 0.0048546981),
                        x(0.006627148, -0.0019371987), x(0.1928607254, 0.0370013031))
                .matrix("lr=0.1",
                        x(-0.14736842, 0.14736842, -0.14736842, -0.0, -0.14736842, -0.14736842, 0.14736842, -0.14736842, 0.14736842, -0.14736842, -0.14736842, 0.14736842),
                        x(0.01682375, -0.1120788, 0.09976936, -0.24273687, 0.14394567, -0.10922251, -0.25123224, 0.12823893, -0.16991414, 0.25927364, -0.10860705, -0.33894026))
                .converges("lr=2e-3")
                .network(""),
            row("optimistic_gradient_descent")
                .trajectory("lr=0.002,alpha=0.7,beta=0.1", PARABOLA,
                        x(-0.9944, 9.9692, 1), x(-0.98881792, 9.93849856, 1),
                        x(-0.9832514627, 9.9078830446, 1), x(-0.5111423778, 7.3112830779, 1))
                .trajectory("lr=0.002,alpha=0.7,beta=0.1", ROSENBROCK,
                        x(0.0028, 0), x(5.5910259507e-03, 2.5088e-06),
                        x(8.3741535462e-03, 1.1395446778e-05), x(0.2299887351, 0.0499903422))
                .matrix("lr=0.1",
                        x(-0.05, 0.1, -0.2, -0.0, -0.15, -0.025, 0.075, -0.3, 0.2, -0.1, -0.05, 0.05),
                        x(0.03, -0.14, 0.26, -0.08, 0.25, -0.095, -0.215, 0.46, -0.38, 0.3, -0.17, -0.29))
                .converges("lr=2e-3,alpha=0.7,beta=0.1")
                .network("lr=0.05"),
            row("polyak_sgd")
                // on Rosenbrock step 100 is chaotic: the gradient's rounding alone (jax's expression order)
                // moves it by 3e-2
                .chaoticAt100(ROSENBROCK)
                .trajectory("max_learning_rate=1", PARABOLA,
                        x(0, 4.5, 1), x(0.5, 1.75, 1),
                        x(0.75, 0.375, 1), x(0.9999999991, -0.9999999949, 1))
                .trajectory("max_learning_rate=1", ROSENBROCK,
                        x(0.5, 0), x(0.4350132626, 0.0663129973),
                        x(0.3984765287, 0.1106502462), x(0.935995482, 0.8593649531))
                .converges("")
                .network("max_learning_rate=0.1"),
            row("radam")
                .trajectory("lr=0.005", PARABOLA,
                        x(-0.98, 9.89, 1), x(-0.9601052632, 9.7805789474, 1),
                        x(-0.9403188969, 9.6717539328, 1), x(-0.833142129, 9.3875834214, 1))
                .trajectory("lr=0.005", ROSENBROCK,
                        x(0.01, 0), x(1.9946315789e-02, 5.2631578947e-05),
                        x(0.0298337567, 0.0002132308), x(0.1168293146, 0.0135519707))
                .matrix("lr=0.1",
                        x(-0.05, 0.1, -0.2, -0.0, -0.15, -0.025, 0.075, -0.3, 0.2, -0.1, -0.05, 0.05),
                        x(-0.02894737, 0.03684211, -0.07894737, -0.02105263, -0.04473684, -0.04342105, -0.00131579, -0.1, 0.04736842, 0.00526316, -0.08157895, -0.03947368))
                .torch("radam_rosenbrock").torch("radam_mlp")
                .converges("lr=5e-3")
                .network(""),
            row("rmsprop")
                // optax's defaults: eps 1e-8 (the row's is the lecture's 1e-7)
                .trajectory("lr=0.005,eps=1e-8", PARABOLA,
                        x(-0.9841886117, 9.9841886117, 1), x(-0.9727610502, 9.972725644, 1),
                        x(-0.9632142306, 9.9631313712, 1), x(-0.466161383, 9.4562211772, 1))
                .trajectory("lr=0.005,eps=1e-8", ROSENBROCK,
                        x(0.0158113881, 0), x(0.0271907744, 0.0158110721),
                        x(3.7170076135e-02, 1.6411598281e-06), x(0.4721473072, 0.2244510954))
                .trajectory("lr=0.005,eps=1e-8,momentum=0.9", PARABOLA,
                        x(-0.9841886117, 9.9841886117, 1), x(-0.9585308007, 9.9584953946, 1),
                        x(-0.9259358832, 9.9257850931, 1), x(0.995312839, 5.1902695004, 1))
                .trajectory("lr=0.005,eps=1e-8,momentum=0.9", ROSENBROCK,
                        x(0.0158113881, 0), x(0.0414210237, 0.0158110721),
                        x(0.0745647675, 0.0142318865), x(0.9713394715, 0.9496668481))
                .matrix("lr=0.1,eps=1e-8,centered=true,momentum=0.9",
                        x(-0.33333326, 0.33333331, -0.33333333, 0.0, -0.33333333, -0.33333304, 0.3333333, -0.33333333, 0.33333333, -0.33333331, -0.33333326, 0.33333326),
                        x(-0.36988557, 0.23299747, -0.24903528, -0.33333322, -0.1934662, -0.62154684, 0.07821737, -0.21260353, 0.16321177, -0.07052386, -0.61823948, 0.00081691))
                .torch("rmsprop_rosenbrock").torch("rmsprop_mlp").torch("rmsprop_momentum_rosenbrock")
                .torch("rmsprop_momentum_mlp").torch("rmsprop_centered_rosenbrock").torch("rmsprop_centered_mlp")
                .converges("lr=5e-3,eps=1e-8").converges("lr=5e-3,eps=1e-8,momentum=0.9")
                .converges("lr=5e-3,eps=1e-8,centered=true").converges("lr=5e-3,eps=1e-8,centered=true,momentum=0.9")
                .network(""),
            row("sgd")
                .trajectory("lr=0.001,momentum=0.9", PARABOLA,
                        x(-0.996, 9.978, 1), x(-0.988408, 9.936244, 1),
                        x(-0.977598384, 9.876791112, 1), x(0.7956409895, 0.1239745576, 1))
                .trajectory("lr=0.001,momentum=0.9", ROSENBROCK,
                        x(0.002, 0), x(5.7959968e-03, 8e-07),
                        x(1.1200725898e-02, 8.0787157811e-06), x(0.6909823872, 0.475969498))
                .matrix("lr=0.1,momentum=0.9,nesterov=true",
                        x(-0.095, 0.19, -0.38, -0.0, -0.285, -0.0475, 0.1425, -0.57, 0.38, -0.19, -0.095, 0.095),
                        x(-0.0595, 0.043, -0.105, -0.076, -0.0265, -0.13425, -0.07225, -0.091, -0.009, 0.109, -0.2495, -0.1875))
                .torch("sgd_rosenbrock").torch("sgd_mlp").torch("sgd_momentum_rosenbrock").torch("sgd_momentum_mlp")
                .torch("sgd_nesterov_rosenbrock").torch("sgd_nesterov_mlp").torch("sgd_momentum_l2_rosenbrock")
                .torch("sgd_momentum_l2_mlp")
                .converges("lr=1e-3,momentum=0.9")
                .network("lr=0.1"),
            row("sign_sgd")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.9, 9.9, 1), x(-0.8, 9.8, 1),
                        x(-0.7, 9.7, 1), x(1, 1.8790524692e-14, 1))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.1, 0), x(0.2, 0.1),
                        x(0.3, 0), x(0.2, 0.1))
                // optax skips Rosenbrock: sign steps need a decaying rate there
                .convergesOnTheParabola("lr=0.1")
                .network("lr=5e-4"),
            row("sm3")
                .trajectory("lr=1", PARABOLA,
                        x(-0.9, 9.9, 1), x(-0.7411250539, 9.7396129355, 1),
                        x(-0.5447637925, 9.5382766114, 1), x(0.9985990045, -0.5712449645, 1))
                .trajectory("lr=1", ROSENBROCK,
                        x(0.0999999999, 0), x(0.2473462342, 0.0999999999),
                        x(0.4709220968, 0.0931613984), x(1.084429892, 1.1765050858))
                .matrix("lr=0.1",
                        x(-0.01, 0.01, -0.01, -0.0, -0.01, -0.01, 0.01, -0.01, 0.01, -0.01, -0.01, 0.01),
                        x(-0.00949938, 0.00703884, -0.0075166, -0.00196116, -0.00657464, -0.01414496, 0.0056965, -0.00642337, 0.00489635, -0.00192893, -0.01381919, 0.00385504))
                .converges("lr=1")
                .network("lr=0.05"),
            row("yogi")
                .trajectory("lr=0.1", PARABOLA,
                        x(-0.900028342, 9.9000046076, 0.9999724119), x(-0.800248328, 9.8000592734, 1.0000784492),
                        x(-0.7007855998, 9.7001809418, 0.9998590923), x(1.0092366248, 2.0803651872, 0.996597546))
                .trajectory("lr=0.1", ROSENBROCK,
                        x(0.099937090099, -2.7588087029e-05), x(0.1974098294, 0.0743240452),
                        x(0.2898070297, 0.0285426227), x(0.9290040659, 0.8624598311))
                .matrix("lr=0.1",
                        x(-9.96035845e-02, 9.98493385e-02, -9.99379895e-02, -2.75880870e-05, -9.99117920e-02, -9.88208866e-02, 9.97771125e-02, -9.99614263e-02, 9.99370901e-02, -9.98511358e-02, -9.96035845e-02, 9.95999988e-02),
                        x(-0.07989165, 0.05098226, -0.0551478, -0.07392325, -0.0399605, -0.09413297, -0.00181058, -0.04551447, 0.03051363, 0.00525485, -0.0953134, -0.04287212))
                .converges("lr=0.1")
                .network("lr=1e-3"));

    // ---------------------------------------------------------------- the checks

    @Test
    void everyOptimizerHasOneRow() {
        List<String> names = ROWS.stream().map(r -> r.name).toList();
        assertEquals(OptimizerRegistry.names(), names, "one row per optimizer, in the registry's order");
        for (Row r : ROWS) {
            assertFalse(r.trajectories.isEmpty() && r.matrices.isEmpty() && r.torch.isEmpty(),
                    r.name + " needs a reference: optax's or PyTorch's values");
            assertFalse(r.convergences.isEmpty(), r.name + " needs a convergence check");
            assertTrue(r.network != null, r.name + " needs its network settings");
        }
    }

    @TestFactory
    Stream<DynamicTest> trajectoriesMatchOptax() {
        return ROWS.stream().flatMap(r -> r.trajectories.stream().map(t -> DynamicTest.dynamicTest(
                r.name + "(" + t.settings() + ") on " + t.problem(), () -> {
                    double[][] actual = t.problem().run(OptimizerRegistry.create(r.name, t.settings()), STEPS);
                    for (int s = 0; s < STEPS.length; s++) {
                        boolean chaotic = STEPS[s] == 100 && t.problem() == r.chaoticAt100;
                        double relative = chaotic ? 5e-2 : r.relativeTolerance(1e-9);
                        for (int i = 0; i < actual[s].length; i++) {
                            double e = t.afterSteps()[s][i];
                            assertEquals(e, actual[s][i], relative * Math.abs(e) + 1e-10,
                                    "after update " + STEPS[s] + ", x[" + i + "]");
                        }
                    }
                })));
    }

    // §8.5: params P, gradients G1 then G2, on a 3×4 matrix
    private static final double[] P = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2};
    private static final double[] G1 = {0.5, -1, 2, 0, 1.5, 0.25, -0.75, 3, -2, 1, 0.5, -0.5};
    private static final double[] G2 = {0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, -1, 1.1, 1.2};

    private static Params matrix(double[] values) {
        return new Params(List.of("w"), List.of(Tensor.of(values.clone(), 3, 4)));
    }

    @TestFactory
    Stream<DynamicTest> matrixUpdatesMatchOptax() {
        return ROWS.stream().flatMap(r -> r.matrices.stream().map(m -> DynamicTest.dynamicTest(
                r.name + "(" + m.settings() + ")", () -> {
                    GradientTransformation tx = OptimizerRegistry.create(r.name, m.settings());
                    Params params = matrix(P);
                    GradientTransformation.Update first = tx.update(matrix(G1), tx.init(params), params,
                            UpdateContext.none());
                    double[] u1 = first.updates().get(0).toDoubleArray();
                    Params moved = matrix(P);
                    moved.get(0).addInPlace(first.updates().get(0));
                    double[] u2 = tx.update(matrix(G2), first.state(), moved, UpdateContext.none())
                            .updates().get(0).toDoubleArray();
                    double relative = r.relativeTolerance(1e-7);
                    for (int i = 0; i < 12; i++) {
                        assertEquals(m.u1()[i], u1[i], relative * Math.abs(m.u1()[i]) + 5.1e-9, "u1[" + i + "]");
                        assertEquals(m.u2()[i], u2[i], relative * Math.abs(m.u2()[i]) + 5.1e-9, "u2[" + i + "]");
                    }
                })));
    }

    @TestFactory
    Stream<DynamicTest> trajectoriesMatchTorch() {
        return ROWS.stream().flatMap(r -> r.torch.stream().map(resource -> DynamicTest.dynamicTest(
                r.name + ": " + resource, () -> TorchReference.check(r.name, resource))));
    }

    /**
     * Configurations torch 1.13 cannot be set to reproduce, kept as documentation (each file's
     * {@code note} says why): amsgrad with b2 ≠ 0, nadam with b1 ≠ 0.
     */
    private static final Set<String> TORCH_NOT_EQUAL = Set.of(
            "amsgrad_b2_0999_rosenbrock", "amsgrad_b2_0999_mlp", "nadam_rosenbrock", "nadam_mlp");

    /** Every PyTorch reference file is used by exactly one row, or documents a difference. */
    @Test
    void everyTorchReferenceIsUsed() throws IOException {
        List<String> listed = new ArrayList<>(TORCH_NOT_EQUAL);
        ROWS.forEach(r -> listed.addAll(r.torch));
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "a reference is listed twice: " + listed);
        assertEquals(TorchReference.resources(), new TreeSet<>(listed));
        for (String name : TORCH_NOT_EQUAL) {
            TorchReference.Reference ref = TorchReference.Reference.load(name);
            assertFalse(ref.equal(), name + " is marked as reproducible; give it to its row");
            assertFalse(ref.note().isBlank(), name + " must say why torch differs");
        }
    }

    @TestFactory
    Stream<DynamicTest> convergesOnOptaxProblems() {
        return ROWS.stream().flatMap(r -> r.convergences.stream().flatMap(c -> c.problems().stream().map(problem ->
                DynamicTest.dynamicTest(r.name + "(" + c.settings() + ") on " + problem, () -> {
                    int steps = r.name.equals("lbfgs") ? 100 : 10_000;
                    double[] x = problem.run(OptimizerRegistry.create(r.name, c.settings()), steps)[0];
                    for (int i = 0; i < x.length; i++) {
                        double target = problem.minimum[i];
                        assertEquals(target, x[i], 3e-2 + 3e-2 * Math.abs(target), "x[" + i + "]");
                    }
                }))));
    }

    @TestFactory
    Stream<DynamicTest> resumesBitForBitFromASavedState() {
        return ROWS.stream().map(r -> DynamicTest.dynamicTest(r.name, () -> {
            Params straight = Problem.vector(-1, 10, 1), resumed = Problem.vector(-1, 10, 1);
            GradientTransformation tx = OptimizerRegistry.create(r.name, Map.of());
            OptState full = tx.init(straight), half = tx.init(resumed);
            for (int s = 0; s < 6; s++) {
                full = step(tx, straight, full, s);
                if (s < 3) {
                    half = step(tx, resumed, half, s);
                }
            }
            StateCodec.Flat flat = StateCodec.flatten(half);
            Map<String, Tensor> tensors = new HashMap<>();
            flat.tensors().forEach((k, v) -> tensors.put(k, v.copy()));
            Map<String, Object> scalars = Json.parseObject(Json.write(flat.scalars()));
            GradientTransformation again = OptimizerRegistry.create(r.name, Map.of());
            OptState restored = StateCodec.restore(again.init(resumed), tensors, scalars);
            for (int s = 3; s < 6; s++) {
                restored = step(again, resumed, restored, s);
            }
            assertEquals(Arrays.toString(straight.get(0).toDoubleArray()),
                    Arrays.toString(resumed.get(0).toDoubleArray()));
            assertFalse(Arrays.equals(new double[] {-1, 10, 1}, resumed.get(0).toDoubleArray()), "it moved");
        }));
    }

    /** One update on the parabola with a skew, with its value and objective (for polyak_sgd and lbfgs). */
    private static OptState step(GradientTransformation tx, Params params, OptState state, int s) {
        ObjectiveFunction f = PARABOLA.objective();
        GradientTransformation.Update r = tx.update(f.gradient(params), state, params,
                new UpdateContext(s, f.applyAsDouble(params), f));
        params.get(0).addInPlace(r.updates().get(0));
        return r.state();
    }

    private static Mnist.Split mnist;

    private static synchronized Mnist.Split mnist() {
        if (mnist == null) {
            String root = System.getProperty("descent.data", System.getenv("DESCENT_DATA"));
            assertTrue(root != null, "MNIST is needed: set DESCENT_DATA to a folder holding mnist/");
            Mnist.Split raw = Mnist.load(Path.of(root, "mnist"));
            Normalizer normalizer = Normalizer.fit(raw.train().inputs(), Normalizer.Mode.GLOBAL);
            mnist = new Mnist.Split(new Dataset(normalizer.apply(raw.train().inputs()), raw.train().targets()),
                    new Dataset(normalizer.apply(raw.test().inputs()), raw.test().targets()));
        }
        return mnist;
    }

    @TestFactory
    Stream<DynamicTest> trainsTheMnistMlpAbove95PercentInTwoEpochs() {
        return ROWS.stream().map(r -> DynamicTest.dynamicTest(r.name + "(" + r.network + ")", () -> {
            Map<String, Double> settings = OptimizerRegistry.trainingSettings(r.name, OptimizerRegistry.parse(r.network));
            Sequential model = ModelSpec.parse("flatten dense(128) relu dense(10)")
                    .build(new int[] {1, 28, 28}, new SplittableRandom(1));
            Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(),
                    new Optimizer(OptimizerRegistry.create(r.name, settings), model)).epochs(2).batchSize(128).seed(1);
            trainer.fit(mnist().train(), null);
            double accuracy = trainer.evaluate(mnist().test()).accuracy();
            System.out.printf("%-28s %-40s test accuracy %.4f%n", r.name, settings, accuracy);
            assertTrue(accuracy > (r.name.equals("lbfgs") ? 0.94 : 0.95), r.name + " reached " + accuracy);
        }));
    }

    // ---------------------------------------------------------------- rows

    private record Trajectory(String settings, Problem problem, double[][] afterSteps) {
    }

    private record MatrixUpdates(String settings, double[] u1, double[] u2) {
    }

    private record Convergence(String settings, List<Problem> problems) {
    }

    /** The checks of one optimizer: its references, convergence runs and network settings. */
    private static final class Row {
        final String name;
        final List<Trajectory> trajectories = new ArrayList<>();
        final List<MatrixUpdates> matrices = new ArrayList<>();
        final List<String> torch = new ArrayList<>();
        final List<Convergence> convergences = new ArrayList<>();
        String network;
        Double relativeTolerance;
        Problem chaoticAt100;

        Row(String name) {
            this.name = name;
        }

        /** optax's parameters after updates 1, 2, 3 and 100 of {@code create(name, settings)} on {@code problem}. */
        Row trajectory(String settings, Problem problem, double[]... afterSteps) {
            trajectories.add(new Trajectory(settings, problem, afterSteps));
            return this;
        }

        /** optax's two updates of {@code create(name, settings)} on the §8.5 matrix. */
        Row matrix(String settings, double[] u1, double[] u2) {
            matrices.add(new MatrixUpdates(settings, u1, u2));
            return this;
        }

        /** A PyTorch reference file naming this optimizer and its settings. */
        Row torch(String resource) {
            torch.add(resource);
            return this;
        }

        /** optax's convergence check on both problems. */
        Row converges(String settings) {
            convergences.add(new Convergence(settings, List.of(PARABOLA, ROSENBROCK)));
            return this;
        }

        /** optax's convergence check on the parabola only. */
        Row convergesOnTheParabola(String settings) {
            convergences.add(new Convergence(settings, List.of(PARABOLA)));
            return this;
        }

        /** The MNIST settings over the row's training settings ("": the training settings themselves). */
        Row network(String settings) {
            network = settings;
            return this;
        }

        /** A wider relative tolerance for optax's values, for a documented reason. */
        Row widerTolerance(double relative) {
            relativeTolerance = relative;
            return this;
        }

        /** The relative tolerance for optax's values: {@code usual}, unless the row widens it. */
        double relativeTolerance(double usual) {
            return relativeTolerance == null ? usual : relativeTolerance;
        }

        /** Step 100 on {@code problem} is compared to 5e-2 only: the run is chaotic there. */
        Row chaoticAt100(Problem problem) {
            chaoticAt100 = problem;
            return this;
        }
    }

    private static Row row(String name) {
        return new Row(name);
    }

    private static double[] x(double... values) {
        return values;
    }
}
