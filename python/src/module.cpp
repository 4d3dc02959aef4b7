// python/src/module.cpp: resizemix._core, the pybind11 binding behind `import resizemix`.
//
// Pixels never get copied on the way in: NumPy arrays (and anything else with
// the buffer protocol) are viewed through their Py_buffer, CPU torch tensors
// through tensor.numpy(), which shares the tensor's storage (see pixel_buffer).
// Mixers are the C++ value types; mix() and mix_batch() release the GIL while
// pixels move and take it back only to call a Python saliency callback.
#include <pybind11/numpy.h>
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>
#include <iomanip>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <resizemix/resizemix.hpp>

namespace py = pybind11;
using resizemix::index_t;

namespace {

// --- Arguments ---------------------------------------------------------------

[[noreturn]] void type_error(const std::string& message) { throw py::type_error(message); }
[[noreturn]] void value_error(const std::string& message) { throw py::value_error(message); }

std::string type_name(py::handle object) { return py::str(py::type::handle_of(object).attr("__name__")); }

/// True for a torch.Tensor, without importing torch when the caller has not.
bool is_torch_tensor(py::handle object) {
    PyObject* torch = PyDict_GetItemString(PyImport_GetModuleDict(), "torch");  // borrowed
    if (torch == nullptr) return false;
    const py::object tensor_type = py::reinterpret_borrow<py::object>(torch).attr("Tensor");
    return PyObject_IsInstance(object.ptr(), tensor_type.ptr()) == 1;
}

/// A CPU torch tensor as a NumPy array sharing its storage. tensor.numpy() is
/// the zero-copy route that torch 1.13 and NumPy 1.24 both guarantee writable
/// and strided (np.from_dlpack in NumPy 1.24 gives no write access, and
/// __array_interface__ is not defined by torch); it also refuses what cannot be
/// shared (GPU memory, autograd history), which we turn into messages that
/// name the argument.
py::object tensor_as_numpy(py::handle tensor, const char* argument, bool writable) {
    const std::string device = py::str(tensor.attr("device").attr("type"));
    if (device != "cpu") {
        type_error(std::string(argument) + " is a torch tensor on device '" + device +
                   "'; resizemix mixes CPU memory: pass tensor.cpu() (and copy the result back)");
    }
    const std::string dtype = py::str(tensor.attr("dtype"));
    if (dtype != "torch.uint8" && dtype != "torch.float32") {
        type_error(std::string(argument) + " has dtype " + dtype +
                   "; resizemix mixes torch.uint8 and torch.float32 tensors: convert with .to(torch.float32)");
    }
    if (writable && tensor.attr("requires_grad").cast<bool>()) {
        value_error(std::string(argument) + " requires grad; mixing writes it in place, which autograd cannot "
                                            "record: mix before the forward pass or pass tensor.detach()");
    }
    return tensor.attr("requires_grad").cast<bool>() ? tensor.attr("detach")().attr("numpy")()
                                                     : tensor.attr("numpy")();
}

/// A small tensor read by value (labels, maps) as NumPy, copied from any device;
/// anything else is returned as it is.
py::object small_as_numpy(py::handle object) {
    if (!is_torch_tensor(object)) return py::reinterpret_borrow<py::object>(object);
    py::object tensor = py::reinterpret_borrow<py::object>(object);
    if (tensor.attr("requires_grad").cast<bool>()) tensor = tensor.attr("detach")();
    if (std::string(py::str(tensor.attr("device").attr("type"))) != "cpu") tensor = tensor.attr("cpu")();
    return tensor.attr("numpy")();
}

/// The pixel types resizemix computes with.
enum class pixel_kind { u8, f32 };

/// A Py_buffer, released when its holder goes (also when a constructor throws).
struct held_buffer {
    Py_buffer view{};
    bool held = false;
    held_buffer() = default;
    held_buffer(const held_buffer&) = delete;
    held_buffer& operator=(const held_buffer&) = delete;
    ~held_buffer() {
        if (held) PyBuffer_Release(&view);
    }
};

/// A Py_buffer held for the length of a call (so the exporter cannot resize
/// or free the memory meanwhile), with its strides in elements.
class pixel_buffer {
public:
    /// Views `object` (an array, anything with the buffer protocol, or a CPU
    /// tensor) of `rank` dimensions (0: 3 or 4); `writable` demands write access.
    pixel_buffer(py::handle object, const char* argument, int rank, bool writable) : argument_(argument) {
        owner_ = is_torch_tensor(object) ? tensor_as_numpy(object, argument, writable)
                                         : py::reinterpret_borrow<py::object>(object);
        from_tensor_ = !owner_.is(object);
        if (PyObject_CheckBuffer(owner_.ptr()) == 0) {
            type_error(std::string(argument) + " must be a NumPy array or a CPU torch tensor, got " +
                       type_name(object));
        }
        if (PyObject_GetBuffer(owner_.ptr(), &buffer_.view, PyBUF_RECORDS_RO) != 0) throw py::error_already_set();
        buffer_.held = true;
        if (writable && view_.readonly) {
            value_error(std::string(argument) + " is read-only; resizemix writes it in place: pass a writable "
                                                "array (np.array(x) or x.copy()) or give out=");
        }
        const std::string format = view_.format == nullptr ? "B" : view_.format;
        if (format == "B" && view_.itemsize == 1) {
            kind_ = pixel_kind::u8;
        } else if ((format == "f" || format == "<f" || format == "=f") && view_.itemsize == 4) {
            kind_ = pixel_kind::f32;
        } else {
            type_error(std::string(argument) + " has element format '" + format + "' (" + dtype_name() +
                       "); resizemix mixes uint8 and float32 pixels: convert with .astype(np.float32)");
        }
        if (rank == 0 && view_.ndim != 3 && view_.ndim != 4) {
            value_error(std::string(argument) + " must have 3 dimensions (one image) or 4 (a batch), got " +
                        std::to_string(view_.ndim) + " (shape " + shape_text() + ")");
        }
        if (rank != 0 && view_.ndim != rank) {
            value_error(std::string(argument) + " must have " + std::to_string(rank) + " dimensions, got " +
                        std::to_string(view_.ndim) + " (shape " + shape_text() + ")");
        }
        for (int r = 0; r < view_.ndim; ++r) {
            if (view_.shape[r] < 1) {
                value_error(std::string(argument) + " has shape " + shape_text() +
                            "; every dimension must be at least 1");
            }
            if (view_.strides[r] % view_.itemsize != 0) {
                value_error(std::string(argument) + " has a stride of " + std::to_string(view_.strides[r]) +
                            " bytes on axis " + std::to_string(r) + ", not a multiple of its " +
                            std::to_string(view_.itemsize) + "-byte elements");
            }
        }
    }
    pixel_buffer(const pixel_buffer&) = delete;
    pixel_buffer& operator=(const pixel_buffer&) = delete;

    [[nodiscard]] pixel_kind kind() const noexcept { return kind_; }
    [[nodiscard]] bool from_tensor() const noexcept { return from_tensor_; }
    [[nodiscard]] const char* argument() const noexcept { return argument_; }
    [[nodiscard]] int rank() const noexcept { return view_.ndim; }
    [[nodiscard]] index_t extent(int r) const noexcept { return static_cast<index_t>(view_.shape[r]); }
    [[nodiscard]] index_t stride(int r) const noexcept {
        return static_cast<index_t>(view_.strides[r] / view_.itemsize);
    }
    template <class T>
    [[nodiscard]] T* data() const noexcept {
        return static_cast<T*>(view_.buf);
    }

    [[nodiscard]] std::string shape_text() const {
        std::string text = "(";
        for (int r = 0; r < view_.ndim; ++r) text += (r ? ", " : "") + std::to_string(view_.shape[r]);
        return text + (view_.ndim == 1 ? ",)" : ")");
    }

private:
    [[nodiscard]] std::string dtype_name() const {
        try {
            return py::str(py::dtype(std::string(view_.format == nullptr ? "B" : view_.format)));
        } catch (const py::error_already_set&) {
            return "unknown dtype";
        }
    }

    const char* argument_;
    py::object owner_;  // destroyed after buffer_ releases its view
    held_buffer buffer_;
    Py_buffer& view_ = buffer_.view;
    bool from_tensor_ = false;
    pixel_kind kind_ = pixel_kind::u8;
};

/// Where the channel axis is: the logical order is always (n,) c, y, x.
bool channels_last(const std::string& layout, bool batch) {
    if (layout == (batch ? "nchw" : "chw")) return false;
    if (layout == (batch ? "nhwc" : "hwc")) return true;
    value_error(std::string("layout must be ") + (batch ? "'nchw' or 'nhwc'" : "'chw' or 'hwc'") + ", got '" +
                layout + "'");
}

template <class T>
resizemix::batch_view<T> batch_of(const pixel_buffer& buffer, bool last) {
    if (last) {
        return {buffer.data<T>(), buffer.extent(0), buffer.extent(3), buffer.extent(1), buffer.extent(2),
                buffer.stride(0), buffer.stride(3), buffer.stride(1), buffer.stride(2)};
    }
    return {buffer.data<T>(), buffer.extent(0), buffer.extent(1), buffer.extent(2), buffer.extent(3),
            buffer.stride(0), buffer.stride(1), buffer.stride(2), buffer.stride(3)};
}

template <class T>
resizemix::image_view<T> image_of(const pixel_buffer& buffer, bool last) {
    if (last) {
        return {buffer.data<T>(), buffer.extent(2), buffer.extent(0), buffer.extent(1),
                buffer.stride(2), buffer.stride(0), buffer.stride(1)};
    }
    return {buffer.data<T>(), buffer.extent(0), buffer.extent(1), buffer.extent(2),
            buffer.stride(0), buffer.stride(1), buffer.stride(2)};
}

void check_same_kind(const pixel_buffer& a, const pixel_buffer& b) {
    if (a.kind() != b.kind()) {
        type_error(std::string(b.argument()) + " must have the dtype of " + a.argument() + " (" +
                   (a.kind() == pixel_kind::u8 ? "uint8" : "float32") + ")");
    }
}

resizemix::region region_from(const std::string& text, const char* argument) {
    if (text == "random") return resizemix::region::random;
    if (text == "corresponding") return resizemix::region::corresponding;
    if (text == "salient") return resizemix::region::salient;
    if (text == "non-salient" || text == "non_salient") return resizemix::region::non_salient;
    value_error(std::string(argument) + " must be 'random', 'corresponding', 'salient' or 'non-salient', got '" +
                text + "'");
}

resizemix::box_sampling box_sampling_from(const std::string& text) {
    if (text == "clip") return resizemix::box_sampling::clip;
    if (text == "inside") return resizemix::box_sampling::inside;
    value_error("box_sampling must be 'clip' or 'inside', got '" + text + "'");
}

resizemix::interpolation interpolation_from(const std::string& text) {
    if (text == "bilinear") return resizemix::interpolation::bilinear;
    if (text == "nearest") return resizemix::interpolation::nearest;
    if (text == "area") return resizemix::interpolation::area;
    value_error("interpolation must be 'bilinear', 'nearest' or 'area', got '" + text + "'");
}

const char* interpolation_name(resizemix::interpolation method) {
    switch (method) {
        case resizemix::interpolation::bilinear: return "bilinear";
        case resizemix::interpolation::nearest: return "nearest";
        case resizemix::interpolation::area: return "area";
    }
    return "unknown";
}

// --- Saliency ------------------------------------------------------------------

/// A 2-D array-like as a saliency map (copied: maps are small, and the library owns its maps).
resizemix::saliency_map map_from(py::handle object, const std::string& argument) {
    const py::object source = small_as_numpy(object);
    py::array_t<float, py::array::c_style | py::array::forcecast> values;
    try {
        values = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(source);
    } catch (const py::error_already_set&) {
        values = {};
    }
    if (!values) type_error(argument + " must be a 2-D array of numbers, got " + type_name(object));
    if (values.ndim() != 2) {
        value_error(argument + " must be a 2-D (height, width) map, got " + std::to_string(values.ndim()) +
                    " dimensions");
    }
    if (values.shape(0) < 1 || values.shape(1) < 1) value_error(argument + " must not be empty");
    std::vector<float> copied(values.data(), values.data() + values.size());
    return {static_cast<index_t>(values.shape(0)), static_cast<index_t>(values.shape(1)), std::move(copied)};
}

/// Where maps come from: nothing, fixed arrays, or a Python callable. Called
/// without the GIL (from inside mix / mix_batch): it takes the GIL itself.
struct python_saliency {
    py::object callback;                                      // callable(query) -> 2-D map, or None
    std::optional<resizemix::saliency_map> source;           // mix(): the source's map
    std::optional<resizemix::saliency_map> target;           // mix(): the target's map
    std::vector<resizemix::saliency_map> per_sample;          // mix_batch(): one map per sample

    resizemix::saliency_map operator()(const resizemix::saliency_query& query) const {
        if (!per_sample.empty() && query.image_index >= 0) {
            return per_sample[static_cast<std::size_t>(query.image_index)];
        }
        if (query.role == resizemix::image_role::source && source) return *source;
        if (query.role == resizemix::image_role::target && target) return *target;
        if (!callback || callback.is_none()) return {};
        const py::gil_scoped_acquire gil;
        const py::object map = callback(query);
        return map_from(map, "the saliency callback's result");
    }
};

/// Holds python_saliency so the callback object is released with the GIL held.
python_saliency saliency_from(const py::object& saliency, index_t count) {
    python_saliency provider;
    if (saliency.is_none()) return provider;
    if (PyCallable_Check(saliency.ptr()) != 0) {
        provider.callback = saliency;
        return provider;
    }
    const py::object source = small_as_numpy(saliency);
    const auto maps = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(source);
    if (!maps || maps.ndim() != 3) {
        value_error("saliency must be a callable or an (N, height, width) array of maps, got " + type_name(saliency));
    }
    if (maps.shape(0) != count) {
        value_error("saliency has " + std::to_string(maps.shape(0)) + " maps but the batch has " +
                    std::to_string(count) + " samples");
    }
    for (index_t i = 0; i < count; ++i) {
        provider.per_sample.push_back(map_from(maps[py::int_(i)], "saliency[" + std::to_string(i) + "]"));
    }
    return provider;
}

// --- Mixers ----------------------------------------------------------------------

/// What a Python mixer runs: a built-in mixer by its type (no virtual calls), or a
/// one_of / sometimes as any_mixer, which carries whether its patches may be
/// rendered straight into place, as the typed compositions do.
using mixer_variant = std::variant<resizemix::resize_mix, resizemix::cut_mix, resizemix::mixup, resizemix::any_mixer>;

/// The base of every Python mixer class: the C++ mixer it stands for.
struct py_mixer {
    virtual ~py_mixer() = default;
    mixer_variant mixer;

    [[nodiscard]] resizemix::any_mixer erased() const {
        return std::visit(
            [](const auto& m) -> resizemix::any_mixer {
                if constexpr (std::is_same_v<std::decay_t<decltype(m)>, resizemix::any_mixer>) {
                    return m;
                } else {
                    return resizemix::any_mixer(m);
                }
            },
            mixer);
    }
};

/// ResizeMix, CutMix, Mixup: one built-in mixer, validated when made (so a bad
/// parameter fails at construction, not at the first batch).
template <class Mixer>
struct py_leaf : py_mixer {
    explicit py_leaf(Mixer m) {
        m.validate();
        mixer = m;
    }
    [[nodiscard]] const Mixer& get() const { return std::get<Mixer>(mixer); }
};
using py_resize_mix = py_leaf<resizemix::resize_mix>;
using py_cut_mix = py_leaf<resizemix::cut_mix>;
using py_mixup = py_leaf<resizemix::mixup>;

/// one_of: keeps its Python branches for repr and pickling.
struct py_one_of : py_mixer {
    std::vector<std::pair<py::object, double>> branches;

    explicit py_one_of(const py::sequence& choices) {
        std::vector<resizemix::weighted<resizemix::any_mixer>> erased_branches;
        for (std::size_t k = 0; k < choices.size(); ++k) {
            py::object choice = choices[k];
            py::object branch = choice;
            double weight = 1.0;
            if (py::isinstance<py::tuple>(choice) || py::isinstance<py::list>(choice)) {
                const auto pair = choice.cast<py::sequence>();
                if (pair.size() != 2) {
                    value_error("one_of: branch " + std::to_string(k) + " must be a mixer or a (mixer, weight) pair");
                }
                branch = pair[0];
                weight = pair[1].cast<double>();
            }
            if (!py::isinstance<py_mixer>(branch)) {
                type_error("one_of: branch " + std::to_string(k) + " must be a resizemix mixer, got " +
                           type_name(branch));
            }
            erased_branches.push_back({branch.cast<const py_mixer&>().erased(), weight});
            branches.emplace_back(branch, weight);
        }
        mixer = resizemix::any_mixer(resizemix::one_of_any(std::move(erased_branches)));
    }
};

/// sometimes: keeps its Python mixer for repr and pickling.
struct py_sometimes : py_mixer {
    py::object inner;
    double probability;

    py_sometimes(py::object wrapped, double p) : inner(std::move(wrapped)), probability(p) {
        if (!py::isinstance<py_mixer>(inner)) type_error("sometimes: mixer must be a resizemix mixer, got " + type_name(inner));
        mixer = resizemix::any_mixer(resizemix::sometimes(inner.cast<const py_mixer&>().erased(), probability));
    }
};

// --- Augmentation ------------------------------------------------------------------

/// The Python names of augment_op, in its order (the C++ enumerators): RandAugment's 14, then
/// invert (AutoAugment) and cutout (recorded by Cutout, not runnable by apply_op).
constexpr std::array<const char*, resizemix::augment_op_value_count> op_names{
    "identity", "shear_x",   "shear_y",   "translate_x", "translate_y",   "rotate",   "brightness", "color",
    "contrast", "sharpness", "posterize", "solarize",    "auto_contrast", "equalize", "invert",     "cutout"};

const char* op_name(resizemix::augment_op op) { return op_names[static_cast<std::size_t>(op)]; }

/// An operation by its Python name ("shear_x") or torchvision's ("ShearX").
resizemix::augment_op op_from(const std::string& text) {
    for (int k = 0; k < resizemix::augment_op_value_count; ++k) {
        const auto op = static_cast<resizemix::augment_op>(k);
        if (text == op_name(op) || text == resizemix::to_string(op)) return op;
    }
    value_error("op must be one of resizemix.OPS ('identity', 'shear_x', ..., 'equalize') or torchvision's "
                "name ('ShearX', ...), got '" + text + "'");
}

const char* stage_name(resizemix::augment_stage stage) {
    switch (stage) {
        case resizemix::augment_stage::output: return "output";
        case resizemix::augment_stage::source: return "source";
        case resizemix::augment_stage::target: return "target";
        case resizemix::augment_stage::mix: return "mix";
    }
    return "unknown";
}

resizemix::augment_stage stage_from(const std::string& text) {
    if (text == "output") return resizemix::augment_stage::output;
    if (text == "source") return resizemix::augment_stage::source;
    if (text == "target") return resizemix::augment_stage::target;
    if (text == "mix") return resizemix::augment_stage::mix;
    value_error("stage must be 'output', 'source', 'target' or 'mix', got '" + text + "'");
}

resizemix::applied_op applied_op_from(const std::string& op, double magnitude, const std::string& stage) {
    resizemix::applied_op step;
    step.op = op_from(op);
    step.magnitude = magnitude;
    step.stage = stage_from(stage);
    return step;
}

/// The geometric operations sample nearest or bilinear only.
resizemix::interpolation warp_interpolation_from(const std::string& text) {
    if (text == "nearest") return resizemix::interpolation::nearest;
    if (text == "bilinear") return resizemix::interpolation::bilinear;
    value_error("interpolation must be 'nearest' or 'bilinear', got '" + text + "'");
}

/// fill as warp_options takes it: None, one number, or one per channel (0-255 scale).
std::vector<double> fill_from(const py::object& fill) {
    if (fill.is_none()) return {};
    if (py::isinstance<py::float_>(fill) || py::isinstance<py::int_>(fill)) return {fill.cast<double>()};
    std::vector<double> values;
    try {
        for (const auto value : fill.cast<py::sequence>()) values.push_back(value.cast<double>());
    } catch (const py::cast_error&) {
        type_error("fill must be None, a number or a sequence of numbers (0-255, one per channel), got " +
                   type_name(fill));
    }
    return values;
}

py::object fill_to_python(const std::vector<double>& fill) {
    if (fill.empty()) return py::none();
    return py::cast(fill);
}

/// RandAugment: the C++ rand_augment, validated when made.
struct py_rand_augment {
    resizemix::rand_augment policy;
    explicit py_rand_augment(resizemix::rand_augment p) : policy(std::move(p)) { policy.validate(); }
};

/// augment_after / augment_before: keeps its Python parts for repr and pickling; runs as any_mixer.
struct py_augmented : py_mixer {
    py::object inner;
    py::object augmenter;
    resizemix::augment_order order;

    py_augmented(py::object wrapped, py::object augmentation, resizemix::augment_order o)
        : inner(std::move(wrapped)), augmenter(std::move(augmentation)), order(o) {
        const std::string function = order == resizemix::augment_order::after ? "augment_after" : "augment_before";
        if (!py::isinstance<py_mixer>(inner)) {
            type_error(function + ": mixer must be a resizemix mixer, got " + type_name(inner));
        }
        if (py::isinstance<py_augmented>(inner)) {
            value_error(function + ": mixer is itself an augmentation pipeline; pipelines do not nest");
        }
        if (!py::isinstance<py_rand_augment>(augmenter)) {
            type_error(function + ": augmenter must be a resizemix.RandAugment, got " + type_name(augmenter));
        }
        resizemix::any_mixer erased = inner.cast<const py_mixer&>().erased();
        const resizemix::rand_augment& policy = augmenter.cast<const py_rand_augment&>().policy;
        if (order == resizemix::augment_order::after) {
            mixer = resizemix::any_mixer(resizemix::augment_after(std::move(erased), policy));
        } else {
            mixer = resizemix::any_mixer(resizemix::augment_before(std::move(erased), policy));
        }
    }
};

resizemix::augment_order order_from(const std::string& text) {
    if (text == "after") return resizemix::augment_order::after;
    if (text == "before") return resizemix::augment_order::before;
    value_error("order must be 'after' or 'before', got '" + text + "'");
}

/// Whether the channel axis of an image or batch of `rank` dimensions comes last: layout None
/// means planar ('chw' / 'nchw'), as for mix and mix_batch.
bool layout_is_channels_last(const py::object& layout, const pixel_buffer& image) {
    if (layout.is_none()) return false;
    if (!py::isinstance<py::str>(layout)) type_error("layout must be a str or None, got " + type_name(layout));
    const auto text = layout.cast<std::string>();
    const bool batch = image.rank() == 4;
    if (text.size() != static_cast<std::size_t>(image.rank()) && (text.size() == 3 || text.size() == 4)) {
        value_error("layout is '" + text + "' but " + image.argument() + " has " + std::to_string(image.rank()) +
                    " dimensions (shape " + image.shape_text() + "): use " + (batch ? "'nchw' or 'nhwc'" : "'chw' or 'hwc'"));
    }
    return channels_last(text, batch);
}

/// Runs `work(source, destination)` on every image of `image_object` (one image, or each image of
/// a batch), written in place or into `out`, without the GIL. `rank` is 3, or 0 for 3 or 4.
template <class Work>
void for_each_image(const py::object& image_object, const py::object& out_object, const py::object& layout, int rank,
                    Work&& work) {
    const bool in_place = out_object.is_none();
    const pixel_buffer image(image_object, "image", rank, in_place);
    const bool last = layout_is_channels_last(layout, image);
    std::optional<pixel_buffer> out;
    if (!in_place) {
        out.emplace(out_object, "out", image.rank(), true);
        check_same_kind(image, *out);
        for (int r = 0; r < image.rank(); ++r) {
            if (out->extent(r) != image.extent(r)) {
                value_error("out has shape " + out->shape_text() + " but image has shape " + image.shape_text() +
                            "; they must be equal");
            }
        }
    }
    const pixel_buffer& written = in_place ? image : *out;
    auto run = [&]<class T>(T*) {
        if (image.rank() == 3) {
            const auto source = resizemix::image_view<const T>(image_of<T>(image, last));
            const auto destination = image_of<T>(written, last);
            const py::gil_scoped_release no_gil;
            work(source, destination);
            return;
        }
        const auto sources = batch_of<T>(image, last);
        const auto destinations = batch_of<T>(written, last);
        const py::gil_scoped_release no_gil;
        for (index_t i = 0; i < sources.count(); ++i) {
            work(resizemix::image_view<const T>(sources[i]), destinations[i]);
        }
    };
    if (image.kind() == pixel_kind::u8) {
        run(static_cast<std::uint8_t*>(nullptr));
    } else {
        run(static_cast<float*>(nullptr));
    }
}

/// apply_op on an image or a batch (each image alike), in place or into out.
void apply_op(const std::string& op_text, const py::object& image, double magnitude, const py::object& out,
              const py::object& layout, const std::string& interpolation, const py::object& fill) {
    const resizemix::augment_op op = op_from(op_text);
    const resizemix::warp_options options{warp_interpolation_from(interpolation), fill_from(fill)};
    for_each_image(image, out, layout, 0, [&](auto source, auto destination) {
        resizemix::apply_op(op, source, destination, magnitude, options);
    });
}

std::string applied_op_repr(const resizemix::applied_op& step) {
    std::ostringstream text;
    text << std::setprecision(17) << "AppliedOp(op='" << op_name(step.op) << "', magnitude=" << step.magnitude
         << ", stage='" << stage_name(step.stage) << "')";
    return text.str();
}

std::string rand_augment_repr(const resizemix::rand_augment& policy) {
    std::ostringstream text;
    text << "RandAugment(num_ops=" << policy.num_ops << ", magnitude=" << policy.magnitude
         << ", num_magnitude_bins=" << policy.num_magnitude_bins << ", interpolation='"
         << interpolation_name(policy.interpolation) << "', fill=";
    if (policy.fill.empty()) {
        text << "None";
    } else {
        for (std::size_t k = 0; k < policy.fill.size(); ++k) text << (k ? ", " : "[") << policy.fill[k];
        text << "]";
    }
    text << ")";
    return text.str();
}

resizemix::rand_augment rand_augment_from(int num_ops, int magnitude, int num_magnitude_bins,
                                          const std::string& interpolation, const py::object& fill) {
    return resizemix::rand_augment{.num_ops = num_ops,
                                   .magnitude = magnitude,
                                   .num_magnitude_bins = num_magnitude_bins,
                                   .interpolation = warp_interpolation_from(interpolation),
                                   .fill = fill_from(fill)};
}

// --- Records ------------------------------------------------------------------------

py::tuple box_tuple(const resizemix::box& b) { return py::make_tuple(b.x, b.y, b.width, b.height); }

/// One sample's record as Python sees it: a MixInfo with the partner.
struct py_sample_record : resizemix::mix_info {
    index_t partner = 0;
};

/// mix_batch's records, kept in C++ until asked for: building N Python
/// objects per call would cost more than mixing a batch of small images.
struct batch_records {
    std::vector<resizemix::sample_record> samples;

    template <class Field>
    py::array column(Field field) const {
        using value = decltype(field(samples.front()));
        py::array_t<value> values(static_cast<py::ssize_t>(samples.size()));
        auto out = values.template mutable_unchecked<1>();
        for (std::size_t i = 0; i < samples.size(); ++i) out(static_cast<py::ssize_t>(i)) = field(samples[i]);
        return values;
    }
    template <class Box>
    py::array boxes(Box which) const {
        py::array_t<std::int64_t> values({static_cast<py::ssize_t>(samples.size()), py::ssize_t{4}});
        auto out = values.mutable_unchecked<2>();
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const resizemix::box& b = samples[i].info.*which;
            const auto row = static_cast<py::ssize_t>(i);
            out(row, 0) = b.x;
            out(row, 1) = b.y;
            out(row, 2) = b.width;
            out(row, 3) = b.height;
        }
        return values;
    }
};

// --- Mixing ----------------------------------------------------------------------------

std::uint64_t checked_u64(const py::int_& value, const char* argument) {
    const std::string shown = py::repr(value);
    if (value < py::int_(0)) value_error(std::string(argument) + " must be >= 0, got " + shown);
    if (PyLong_AsUnsignedLongLong(value.ptr()) == static_cast<unsigned long long>(-1) && PyErr_Occurred() != nullptr) {
        PyErr_Clear();
        value_error(std::string(argument) + " must fit 64 bits, got " + shown);
    }
    return static_cast<std::uint64_t>(PyLong_AsUnsignedLongLong(value.ptr()));
}

py::object mix_pair(const py_mixer& mixer, const py::object& source_object, const py::object& target_object,
                    const py::object& out_object, const py::int_& seed, const py::int_& stream,
                    const std::string& layout, const py::object& source_saliency,
                    const py::object& target_saliency, const py::object& saliency) {
    const bool last = channels_last(layout, /*batch=*/false);
    const bool in_place = out_object.is_none();
    const pixel_buffer source(source_object, "source", 3, false);
    const pixel_buffer target(target_object, "target", 3, in_place);
    check_same_kind(source, target);
    std::optional<pixel_buffer> out;
    if (!in_place) {
        out.emplace(out_object, "out", 3, true);
        check_same_kind(target, *out);
    }
    python_saliency provider;
    if (!saliency.is_none()) {
        if (PyCallable_Check(saliency.ptr()) == 0) type_error("saliency must be a callable(query) -> map");
        provider.callback = saliency;
    }
    if (!source_saliency.is_none()) provider.source = map_from(source_saliency, "source_saliency");
    if (!target_saliency.is_none()) provider.target = map_from(target_saliency, "target_saliency");
    resizemix::rng random(checked_u64(seed, "seed"), checked_u64(stream, "stream"));
    const pixel_buffer& written = in_place ? target : *out;

    auto run = [&]<class T>(T*) {
        const auto source_view = image_of<const T>(source, last);
        const auto target_view = image_of<const T>(target, last);
        const auto out_view = image_of<T>(written, last);
        const py::gil_scoped_release no_gil;
        return std::visit([&](const auto& m) { return resizemix::run_mixer(m, source_view, target_view,
                                                                                     out_view, random, provider); },
                          mixer.mixer);
    };
    const resizemix::mix_info info =
        source.kind() == pixel_kind::u8 ? run(static_cast<std::uint8_t*>(nullptr)) : run(static_cast<float*>(nullptr));
    return py::cast(info);
}

resizemix::pairing pairing_from(const std::string& text) {
    if (text == "shuffle") return resizemix::pairing::shuffle;
    if (text == "flip") return resizemix::pairing::flip;
    value_error("pairing must be 'shuffle' or 'flip' (or pass partners=), got '" + text + "'");
}

/// Any array-like (tensors included) as a NumPy array, or a TypeError naming the argument.
py::array array_from(const py::object& object, const std::string& argument, const char* expected) {
    py::array array;
    try {
        array = py::array::ensure(small_as_numpy(object));
    } catch (const py::error_already_set&) {
    }
    if (!array) type_error(argument + " must be " + expected + ", got " + type_name(object));
    return array;
}

bool integer_kind(const py::array& array) { return array.dtype().kind() == 'i' || array.dtype().kind() == 'u'; }

/// `count` integers as int64, from a 1-D integer array, tensor or sequence.
std::vector<std::int64_t> integers(const py::object& object, const std::string& argument, index_t count) {
    const py::array array = array_from(object, argument, "an array of integers");
    if (!integer_kind(array)) {
        type_error(argument + " must hold integers (int64), got dtype " + std::string(py::str(array.dtype())));
    }
    if (array.ndim() != 1 || array.shape(0) != count) {
        value_error(argument + " must have shape (" + std::to_string(count) + ",), one entry per sample");
    }
    const auto values = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(array);
    return {values.data(), values.data() + values.size()};
}

/// The labels of a batch in either form mix_batch takes: N class indices (an
/// integer array) or an N x K dense target matrix (a float array, copied to float32).
struct batch_labels {
    std::vector<std::int64_t> classes;
    std::vector<float> targets;  // row-major count x columns
    index_t columns = 0;
    [[nodiscard]] bool dense() const noexcept { return columns > 0; }
};

batch_labels labels_from(const py::object& labels, index_t count) {
    batch_labels result;
    const py::array array =
        array_from(labels, "labels", "int64 class indices (N,) or float32 dense targets (N, K)");
    if (integer_kind(array)) {
        result.classes = integers(array, "labels", count);
        return result;
    }
    if (array.dtype().kind() != 'f') {
        type_error("labels must be int64 class indices (N,) or float32 dense targets (N, K), got dtype " +
                   std::string(py::str(array.dtype())));
    }
    if (array.ndim() != 2 || array.shape(0) != count || array.shape(1) < 1) {
        value_error("labels as dense targets must have shape (" + std::to_string(count) +
                    ", K), one row per sample");
    }
    const auto values = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(array);
    result.targets.assign(values.data(), values.data() + values.size());
    result.columns = static_cast<index_t>(array.shape(1));
    return result;
}

py::tuple mix_batch(const py_mixer& mixer, const py::object& images_object, const py::object& labels_object,
                    const py::object& out_object, index_t num_classes, float label_smoothing, const py::int_& seed,
                    const py::int_& epoch, const py::int_& step, const py::int_& rank, const py::object& sample_ids,
                    int threads, const std::string& pairing, const py::object& partners, bool per_batch,
                    const std::string& layout, const py::object& saliency, index_t repeats) {
    const bool last = channels_last(layout, /*batch=*/true);
    if (repeats < 1) value_error("repeats must be at least 1, got " + std::to_string(repeats));
    if (repeats > 1 && out_object.is_none()) {
        value_error("repeats is " + std::to_string(repeats) + ": pass out= with repeats x N samples (the batch "
                    "is not mixed in place when it grows)");
    }
    const bool in_place = out_object.is_none();
    const pixel_buffer images(images_object, "images", 4, in_place);
    std::optional<pixel_buffer> out;
    if (!in_place) {
        out.emplace(out_object, "out", 4, true);
        check_same_kind(images, *out);
    }
    const index_t count = images.extent(0);
    if (out && out->extent(0) != repeats * count) {
        value_error("out has " + std::to_string(out->extent(0)) + " samples but repeats x N = " +
                    std::to_string(repeats) + " x " + std::to_string(count) + " = " + std::to_string(repeats * count));
    }

    resizemix::batch_options options;
    options.seed = checked_u64(seed, "seed");
    options.epoch = checked_u64(epoch, "epoch");
    options.step = checked_u64(step, "step");
    options.rank = checked_u64(rank, "rank");
    if (!sample_ids.is_none()) {
        for (const std::int64_t id : integers(sample_ids, "sample_ids", count)) {
            if (id < 0) value_error("sample_ids must be >= 0, got " + std::to_string(id));
            options.sample_ids.push_back(static_cast<std::uint64_t>(id));
        }
    }
    if (threads < 0) value_error("threads must be >= 0 (0 = every core), got " + std::to_string(threads));
    options.threads = static_cast<unsigned>(threads);
    options.pairing = pairing_from(pairing);
    if (!partners.is_none()) {
        options.pairing = resizemix::pairing::given;
        for (const auto& partner : integers(partners, "partners", count)) options.partners.push_back(partner);
    }
    options.parameters = per_batch ? resizemix::parameter_sharing::per_batch : resizemix::parameter_sharing::per_sample;
    if (num_classes < 0) value_error("num_classes must be >= 0, got " + std::to_string(num_classes));
    options.num_classes = num_classes;
    options.label_smoothing = label_smoothing;
    batch_labels labels;
    if (!labels_object.is_none()) {
        labels = labels_from(labels_object, count);
        if (!labels.dense() && num_classes == 0) {
            value_error("labels are class indices but num_classes is 0; set num_classes");
        }
        if (labels.dense() && repeats > 1) {
            value_error("repeats > 1 takes labels as class indices (resizemix::mix_batch_repeated), not dense targets");
        }
    } else if (num_classes > 0) {
        value_error("num_classes is " + std::to_string(num_classes) + " but no labels were given");
    }
    const python_saliency provider = saliency_from(saliency, count);
    const pixel_buffer& written = in_place ? images : *out;

    using target_matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const target_matrix> targets(labels.targets.data(), labels.dense() ? count : 0, labels.columns);
    auto run = [&]<class T>(T*) {
        const auto input = resizemix::batch_view<const T>(batch_of<T>(images, last));
        const auto output = batch_of<T>(written, last);
        const py::gil_scoped_release no_gil;
        return std::visit(
            [&](const auto& m) {
                if (repeats > 1) {
                    return resizemix::mix_batch_repeated(m, input, std::span<const std::int64_t>(labels.classes),
                                                         output, repeats, options, provider);
                }
                return labels.dense() ? resizemix::mix_batch(m, input, targets, output, options, provider)
                                      : resizemix::mix_batch(m, input, labels.classes, output, options, provider);
            },
            mixer.mixer);
    };
    resizemix::batch_result result =
        images.kind() == pixel_kind::u8 ? run(static_cast<std::uint8_t*>(nullptr)) : run(static_cast<float*>(nullptr));

    py::object soft_labels = py::none();
    if (result.labels.size() > 0) {
        py::array_t<float> matrix({static_cast<py::ssize_t>(result.labels.rows()),
                                   static_cast<py::ssize_t>(result.labels.cols())});
        Eigen::Map<target_matrix>(matrix.mutable_data(), result.labels.rows(), result.labels.cols()) = result.labels;
        soft_labels = std::move(matrix);
        if (images.from_tensor()) soft_labels = py::module_::import("torch").attr("from_numpy")(soft_labels);
    }
    auto records = std::make_shared<batch_records>();
    records->samples = std::move(result.samples);
    return py::make_tuple(soft_labels, py::cast(records));
}

std::string mix_info_repr(const resizemix::mix_info& info) {
    std::ostringstream text;
    text << "method='" << info.method << "', lambda_=" << info.lambda << ", box=(" << info.box.x << ", "
         << info.box.y << ", " << info.box.width << ", " << info.box.height << "), source_box=("
         << info.source_box.x << ", " << info.source_box.y << ", " << info.source_box.width << ", "
         << info.source_box.height << "), tau=" << info.tau << ", choice=" << info.choice;
    if (!info.paste_box.empty() || !info.augmentations.empty()) {
        text << ", paste_box=(" << info.paste_box.x << ", " << info.paste_box.y << ", " << info.paste_box.width
             << ", " << info.paste_box.height << "), augmentations=[";
        for (std::size_t k = 0; k < info.augmentations.size(); ++k) {
            text << (k ? ", " : "") << applied_op_repr(info.augmentations[k]);
        }
        text << "]";
    }
    return text.str();
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "resizemix: ResizeMix, CutMix, Mixup and RandAugment (ResizeMix+) on NumPy arrays and CPU torch tensors, in place.";
    py::register_exception<resizemix::error>(m, "Error", PyExc_ValueError);

    py::class_<resizemix::mix_info>(m, "MixInfo", "What one mix did (the C++ resizemix::mix_info).")
        .def_property_readonly("box", [](const resizemix::mix_info& i) { return box_tuple(i.box); },
                               "(x, y, width, height) of the source pixels in the output")
        .def_property_readonly("source_box", [](const resizemix::mix_info& i) { return box_tuple(i.source_box); },
                               "(x, y, width, height) of the source region used (the whole source for ResizeMix)")
        .def_readonly("lambda_", &resizemix::mix_info::lambda, "the source label weight, in [0, 1]")
        .def_readonly("tau", &resizemix::mix_info::tau, "ResizeMix scale factor; 0 for the other mixers")
        .def_property_readonly("method", [](const resizemix::mix_info& i) { return std::string(i.method); },
                               "'resizemix', 'cutmix', 'mixup' or 'none' (not mixed)")
        .def_readonly("choice", &resizemix::mix_info::choice, "for one_of: the branch that ran; -1 otherwise")
        .def_readonly("augmentations", &resizemix::mix_info::augmentations,
                      "augmentation pipelines: the operations that ran, in order (list of AppliedOp; empty otherwise)")
        .def_property_readonly("paste_box", [](const resizemix::mix_info& i) { return box_tuple(i.paste_box); },
                               "augmentation pipelines: where the inner mixer put the source pixels (box is then "
                               "the whole image)")
        .def("__repr__", [](const resizemix::mix_info& i) { return "MixInfo(" + mix_info_repr(i) + ")"; });

    py::class_<py_sample_record, resizemix::mix_info>(m, "SampleRecord",
                                                      "What happened to one sample of mix_batch: a MixInfo and "
                                                      "the partner.")
        .def_readonly("partner", &py_sample_record::partner, "the sample whose pixels and label were mixed in")
        .def("__repr__", [](const py_sample_record& r) {
            return "SampleRecord(partner=" + std::to_string(r.partner) + ", " + mix_info_repr(r) + ")";
        });

    py::class_<batch_records, std::shared_ptr<batch_records>>(
        m, "BatchRecords",
        "Per-sample records of mix_batch: index it for a SampleRecord, or read whole columns as NumPy arrays.")
        .def("__len__", [](const batch_records& r) { return r.samples.size(); })
        .def("__getitem__",
             [](const batch_records& r, py::ssize_t i) {
                 const auto size = static_cast<py::ssize_t>(r.samples.size());
                 if (i < 0) i += size;
                 if (i < 0 || i >= size) throw py::index_error("sample index out of range");
                 const auto& sample = r.samples[static_cast<std::size_t>(i)];
                 return py_sample_record{sample.info, sample.partner};
             })
        .def_property_readonly("partner", [](const batch_records& r) {
            return r.column([](const resizemix::sample_record& s) { return static_cast<std::int64_t>(s.partner); });
        }, "int64 (N,): each sample's partner")
        .def_property_readonly("lambda_", [](const batch_records& r) {
            return r.column([](const resizemix::sample_record& s) { return s.info.lambda; });
        }, "float64 (N,): each sample's source label weight")
        .def_property_readonly("tau", [](const batch_records& r) {
            return r.column([](const resizemix::sample_record& s) { return s.info.tau; });
        }, "float64 (N,): ResizeMix scales (0 elsewhere)")
        .def_property_readonly("choice", [](const batch_records& r) {
            return r.column([](const resizemix::sample_record& s) { return static_cast<std::int64_t>(s.info.choice); });
        }, "int64 (N,): one_of branch per sample (-1 without one_of)")
        .def_property_readonly("box", [](const batch_records& r) { return r.boxes(&resizemix::mix_info::box); },
                               "int64 (N, 4): x, y, width, height of each pasted box")
        .def_property_readonly("source_box", [](const batch_records& r) { return r.boxes(&resizemix::mix_info::source_box); },
                               "int64 (N, 4): x, y, width, height of each source region")
        .def_property_readonly("method", [](const batch_records& r) {
            py::list methods;
            for (const auto& s : r.samples) methods.append(std::string(s.info.method));
            return methods;
        }, "list of str: the mixer that ran per sample")
        .def_property_readonly("paste_box", [](const batch_records& r) { return r.boxes(&resizemix::mix_info::paste_box); },
                               "int64 (N, 4): augmentation pipelines: where the inner mixer put the source pixels")
        .def_property_readonly("augmentations", [](const batch_records& r) {
            py::list per_sample;
            for (const auto& s : r.samples) per_sample.append(py::cast(s.info.augmentations));
            return per_sample;
        }, "list (per sample) of lists of AppliedOp: the operations a pipeline ran, in order");

    py::class_<resizemix::saliency_query>(m, "SaliencyQuery",
                                          "What a saliency callback is asked for: role, image_index, height, width.")
        .def_property_readonly("role", [](const resizemix::saliency_query& q) {
            return q.role == resizemix::image_role::source ? "source" : "target";
        }, "'source' or 'target'")
        .def_readonly("image_index", &resizemix::saliency_query::image_index, "batch index of the image (-1 for mix())")
        .def_readonly("height", &resizemix::saliency_query::height, "the image height")
        .def_readonly("width", &resizemix::saliency_query::width, "the image width")
        .def("__repr__", [](const resizemix::saliency_query& q) {
            return std::string("SaliencyQuery(role='") +
                   (q.role == resizemix::image_role::source ? "source" : "target") +
                   "', image_index=" + std::to_string(q.image_index) + ", height=" + std::to_string(q.height) +
                   ", width=" + std::to_string(q.width) + ")";
        });

    py::class_<py_mixer>(m, "Mixer", "Base class of every resizemix mixer.");

    py::class_<py_resize_mix, py_mixer>(m, "ResizeMix",
                                        "ResizeMix: the whole source resized by tau ~ U(scale_min, scale_max) and "
                                        "pasted into the target; lambda is the patch's exact pixel share.")
        .def(py::init([](float scale_min, float scale_max, const std::string& paste_region,
                         const std::string& interpolation) {
                 return py_resize_mix(resizemix::resize_mix{.scale_min = scale_min,
                                                            .scale_max = scale_max,
                                                            .paste_region = region_from(paste_region, "paste_region"),
                                                            .interpolation = interpolation_from(interpolation)});
             }),
             py::arg("scale_min") = 0.1f, py::arg("scale_max") = 0.8f, py::arg("paste_region") = "random",
             py::arg("interpolation") = "bilinear")
        .def_property_readonly("scale_min", [](const py_resize_mix& r) { return r.get().scale_min; })
        .def_property_readonly("scale_max", [](const py_resize_mix& r) { return r.get().scale_max; })
        .def_property_readonly("paste_region", [](const py_resize_mix& r) { return resizemix::to_string(r.get().paste_region); })
        .def_property_readonly("interpolation", [](const py_resize_mix& r) { return interpolation_name(r.get().interpolation); })
        .def("__repr__", [](const py_resize_mix& r) {
            std::ostringstream text;
            text << "ResizeMix(scale_min=" << r.get().scale_min << ", scale_max=" << r.get().scale_max
                 << ", paste_region='" << resizemix::to_string(r.get().paste_region) << "', interpolation='"
                 << interpolation_name(r.get().interpolation) << "')";
            return text.str();
        })
        .def(py::pickle(
            [](const py_resize_mix& r) {
                return py::make_tuple(r.get().scale_min, r.get().scale_max, resizemix::to_string(r.get().paste_region),
                                      interpolation_name(r.get().interpolation));
            },
            [](const py::tuple& state) {
                return py_resize_mix(resizemix::resize_mix{
                    .scale_min = state[0].cast<float>(),
                    .scale_max = state[1].cast<float>(),
                    .paste_region = region_from(state[2].cast<std::string>(), "paste_region"),
                    .interpolation = interpolation_from(state[3].cast<std::string>())});
            }));

    py::class_<py_cut_mix, py_mixer>(m, "CutMix",
                                     "CutMix: a box of side sqrt(1 - Beta(alpha, alpha)) cut from the source and "
                                     "pasted into the target; lambda is the box's exact pixel share. box_sampling: "
                                     "'clip' (the paper's Algorithm A1, as timm: centre uniform, box clipped) or "
                                     "'inside' (the whole box placed where it fits).")
        .def(py::init([](float alpha, const std::string& source_region, const std::string& paste_region,
                         const std::string& box_sampling) {
                 return py_cut_mix(resizemix::cut_mix{.alpha = alpha,
                                                      .source_region = region_from(source_region, "source_region"),
                                                      .paste_region = region_from(paste_region, "paste_region"),
                                                      .box_sampling = box_sampling_from(box_sampling)});
             }),
             py::arg("alpha") = 1.0f, py::arg("source_region") = "random", py::arg("paste_region") = "corresponding",
             py::arg("box_sampling") = "clip")
        .def_property_readonly("alpha", [](const py_cut_mix& c) { return c.get().alpha; })
        .def_property_readonly("source_region", [](const py_cut_mix& c) { return resizemix::to_string(c.get().source_region); })
        .def_property_readonly("paste_region", [](const py_cut_mix& c) { return resizemix::to_string(c.get().paste_region); })
        .def_property_readonly("box_sampling", [](const py_cut_mix& c) { return resizemix::to_string(c.get().box_sampling); })
        .def("__repr__", [](const py_cut_mix& c) {
            std::ostringstream text;
            text << "CutMix(alpha=" << c.get().alpha << ", source_region='" << resizemix::to_string(c.get().source_region)
                 << "', paste_region='" << resizemix::to_string(c.get().paste_region) << "', box_sampling='"
                 << resizemix::to_string(c.get().box_sampling) << "')";
            return text.str();
        })
        .def(py::pickle(
            [](const py_cut_mix& c) {
                return py::make_tuple(c.get().alpha, resizemix::to_string(c.get().source_region),
                                      resizemix::to_string(c.get().paste_region),
                                      resizemix::to_string(c.get().box_sampling));
            },
            [](const py::tuple& state) {
                return py_cut_mix(resizemix::cut_mix{
                    .alpha = state[0].cast<float>(),
                    .source_region = region_from(state[1].cast<std::string>(), "source_region"),
                    .paste_region = region_from(state[2].cast<std::string>(), "paste_region"),
                    .box_sampling = box_sampling_from(state[3].cast<std::string>())});
            }));

    py::class_<py_mixup, py_mixer>(m, "Mixup", "Mixup: the per-pixel blend lambda * source + (1 - lambda) * target, "
                                               "lambda ~ Beta(alpha, alpha).")
        .def(py::init([](float alpha) { return py_mixup(resizemix::mixup{.alpha = alpha}); }), py::arg("alpha") = 1.0f)
        .def_property_readonly("alpha", [](const py_mixup& x) { return x.get().alpha; })
        .def("__repr__", [](const py_mixup& x) {
            std::ostringstream text;
            text << "Mixup(alpha=" << x.get().alpha << ")";
            return text.str();
        })
        .def(py::pickle([](const py_mixup& x) { return py::make_tuple(x.get().alpha); },
                        [](const py::tuple& state) { return py_mixup(resizemix::mixup{.alpha = state[0].cast<float>()}); }));

    py::class_<py_one_of, py_mixer>(m, "OneOf", "Picks one branch per sample with probability weight / total.")
        .def(py::init<const py::sequence&>(), py::arg("branches"))
        .def_property_readonly("branches", [](const py_one_of& o) {
            py::list items;
            for (const auto& [branch, weight] : o.branches) items.append(py::make_tuple(branch, weight));
            return items;
        })
        .def("__repr__", [](const py_one_of& o) {
            std::string text = "one_of([";
            for (std::size_t k = 0; k < o.branches.size(); ++k) {
                text += (k ? ", (" : "(") + std::string(py::repr(o.branches[k].first)) + ", " +
                        std::string(py::repr(py::float_(o.branches[k].second))) + ")";
            }
            return text + "])";
        })
        .def(py::pickle(
            [](const py_one_of& o) {
                py::list items;
                for (const auto& [branch, weight] : o.branches) items.append(py::make_tuple(branch, weight));
                return py::make_tuple(items);
            },
            [](const py::tuple& state) { return py_one_of(state[0].cast<py::sequence>()); }));

    py::class_<py_sometimes, py_mixer>(m, "Sometimes", "Mixes with probability `probability`; otherwise the target "
                                                       "is left as it is (lambda 0, method 'none').")
        .def(py::init<py::object, double>(), py::arg("mixer"), py::arg("probability"))
        .def_readonly("mixer", &py_sometimes::inner)
        .def_readonly("probability", &py_sometimes::probability)
        .def("__repr__", [](const py_sometimes& s) {
            return "sometimes(" + std::string(py::repr(s.inner)) + ", " +
                   std::string(py::repr(py::float_(s.probability))) + ")";
        })
        .def(py::pickle([](const py_sometimes& s) { return py::make_tuple(s.inner, s.probability); },
                        [](const py::tuple& state) { return py_sometimes(state[0], state[1].cast<double>()); }));

    py::class_<resizemix::applied_op>(m, "AppliedOp",
                                      "One augmentation operation as it ran: op (its name in resizemix.OPS), the "
                                      "signed magnitude in apply_op's units, and stage: 'output' (the augmented or "
                                      "mixed image), 'source' or 'target' (augment_before).")
        .def(py::init([](const std::string& op, double magnitude, const std::string& stage) {
                 return applied_op_from(op, magnitude, stage);
             }),
             py::arg("op"), py::arg("magnitude") = 0.0, py::arg("stage") = "output")
        .def_property_readonly("op", [](const resizemix::applied_op& a) { return op_name(a.op); })
        .def_readonly("magnitude", &resizemix::applied_op::magnitude)
        .def_property_readonly("stage", [](const resizemix::applied_op& a) { return stage_name(a.stage); })
        .def(py::self == py::self)
        .def("__repr__", &applied_op_repr)
        .def(py::pickle(
            [](const resizemix::applied_op& a) { return py::make_tuple(op_name(a.op), a.magnitude, stage_name(a.stage)); },
            [](const py::tuple& state) {
                return applied_op_from(state[0].cast<std::string>(), state[1].cast<double>(),
                                       state[2].cast<std::string>());
            }));

    py::tuple ops(resizemix::augment_op_count);
    for (int k = 0; k < resizemix::augment_op_count; ++k) ops[static_cast<std::size_t>(k)] = op_names[static_cast<std::size_t>(k)];
    m.attr("OPS") = ops;

    py::class_<py_rand_augment>(
        m, "RandAugment",
        R"(RandAugment (Cubuk et al. 2020) as torchvision 0.14 defines it: num_ops operations drawn uniformly
with replacement from resizemix.OPS, each at bin `magnitude` of `num_magnitude_bins` (torchvision's
magnitude table), signed ones negated with probability 1/2. interpolation ('nearest' or 'bilinear')
and fill (None, a number or one per channel, 0-255 scale) are for the geometric ops. Needs 1- or
3-channel images. Call it on one image, or pass it to augment_after / augment_before.)")
        .def(py::init([](int num_ops, int magnitude, int num_magnitude_bins, const std::string& interpolation,
                         const py::object& fill) {
                 return py_rand_augment(rand_augment_from(num_ops, magnitude, num_magnitude_bins, interpolation, fill));
             }),
             py::arg("num_ops") = 2, py::arg("magnitude") = 9, py::arg("num_magnitude_bins") = 31,
             py::arg("interpolation") = "nearest", py::arg("fill") = py::none())
        .def_property_readonly("num_ops", [](const py_rand_augment& r) { return r.policy.num_ops; })
        .def_property_readonly("magnitude", [](const py_rand_augment& r) { return r.policy.magnitude; })
        .def_property_readonly("num_magnitude_bins", [](const py_rand_augment& r) { return r.policy.num_magnitude_bins; })
        .def_property_readonly("interpolation", [](const py_rand_augment& r) { return interpolation_name(r.policy.interpolation); })
        .def_property_readonly("fill", [](const py_rand_augment& r) { return fill_to_python(r.policy.fill); })
        .def("magnitude_of",
             [](const py_rand_augment& r, const std::string& op, index_t height, index_t width) {
                 return r.policy.magnitude_of(op_from(op), height, width);
             },
             py::arg("op"), py::arg("height"), py::arg("width"),
             "The unsigned magnitude of `op` at this policy's bin for a height x width image.")
        .def(
            "__call__",
            [](const py_rand_augment& r, const py::object& image, const py::object& out, const py::int_& seed,
               const py::int_& stream, const py::object& layout) {
                resizemix::rng random(checked_u64(seed, "seed"), checked_u64(stream, "stream"));
                std::vector<resizemix::applied_op> applied;
                for_each_image(image, out, layout, 3, [&](auto source, auto destination) {
                    applied = r.policy(source, destination, random);
                });
                return applied;
            },
            py::arg("image"), py::arg("out") = py::none(), py::kw_only(), py::arg("seed") = 0, py::arg("stream") = 0,
            py::arg("layout") = py::none(),
            R"(Augments one image (3-D, (C, H, W) or layout='hwc') in place, or into out, with draws from
rng(seed, stream) as C++ rand_augment{...}(source, destination, random) does. Returns the
operations that ran, as a list of AppliedOp. For batches use augment_after / augment_before in
mix_batch.)")
        .def("__repr__", [](const py_rand_augment& r) { return rand_augment_repr(r.policy); })
        .def(py::pickle(
            [](const py_rand_augment& r) {
                return py::make_tuple(r.policy.num_ops, r.policy.magnitude, r.policy.num_magnitude_bins,
                                      interpolation_name(r.policy.interpolation), fill_to_python(r.policy.fill));
            },
            [](const py::tuple& state) {
                return py_rand_augment(rand_augment_from(state[0].cast<int>(), state[1].cast<int>(),
                                                         state[2].cast<int>(), state[3].cast<std::string>(), state[4]));
            }));

    py::class_<py_augmented, py_mixer>(
        m, "AugmentedMixer",
        R"(A mixer with RandAugment after it (order='after': mix, then augment the mixed image; the
paper's ResizeMix+, Table 7 "After") or before it ('before': augment source and target each on
its own, then mix). The mixer draws first, exactly as alone, then the augmentation. Records:
box is the whole image, paste_box the inner mixer's box, augmentations the ops that ran.)")
        .def(py::init([](py::object mixer, py::object augmenter, const std::string& order) {
                 return py_augmented(std::move(mixer), std::move(augmenter), order_from(order));
             }),
             py::arg("mixer"), py::arg("augmenter"), py::arg("order") = "after")
        .def_readonly("mixer", &py_augmented::inner)
        .def_readonly("augmenter", &py_augmented::augmenter)
        .def_property_readonly("order", [](const py_augmented& a) {
            return a.order == resizemix::augment_order::after ? "after" : "before";
        })
        .def("__repr__", [](const py_augmented& a) {
            return std::string(a.order == resizemix::augment_order::after ? "augment_after(" : "augment_before(") +
                   std::string(py::repr(a.inner)) + ", " + std::string(py::repr(a.augmenter)) + ")";
        })
        .def(py::pickle(
            [](const py_augmented& a) {
                return py::make_tuple(a.inner, a.augmenter,
                                      a.order == resizemix::augment_order::after ? "after" : "before");
            },
            [](const py::tuple& state) {
                return py_augmented(state[0], state[1], order_from(state[2].cast<std::string>()));
            }));

    m.def("augment_after",
          [](py::object mixer, py::object augmenter) {
              return py_augmented(std::move(mixer), std::move(augmenter), resizemix::augment_order::after);
          },
          py::arg("mixer"), py::arg("augmenter"),
          "augment_after(ResizeMix(), RandAugment()) is ResizeMix+: mix, then augment the mixed image.");
    m.def("augment_before",
          [](py::object mixer, py::object augmenter) {
              return py_augmented(std::move(mixer), std::move(augmenter), resizemix::augment_order::before);
          },
          py::arg("mixer"), py::arg("augmenter"),
          "augment_before(mixer, RandAugment()): augment source and target each on its own, then mix.");

    m.def("apply_op", &apply_op, py::arg("op"), py::arg("image"), py::arg("magnitude") = 0.0,
          py::arg("out") = py::none(), py::kw_only(), py::arg("layout") = py::none(),
          py::arg("interpolation") = "nearest", py::arg("fill") = py::none(),
          R"(Runs one RandAugment operation with an explicit magnitude, as C++ resizemix::apply_op.

op: a name in resizemix.OPS ('shear_x', ...) or torchvision's ('ShearX', ...). magnitude in
torchvision's _apply_op units: shear factor (shear_x/y), pixels truncated toward zero
(translate_x/y), counter-clockwise degrees (rotate), factor - 1 (brightness, color, contrast,
sharpness), bits (posterize), the 0-255 threshold (solarize); ignored by identity,
auto_contrast, equalize. image, out: uint8 or float32 arrays or CPU tensors, one image (3-D,
layout 'chw' by default or 'hwc') or a batch (4-D, 'nchw' by default or 'nhwc'), each image
treated alike; in place when out is None. interpolation, fill: geometric ops only.)");

    struct op_binding {
        resizemix::augment_op op;
        const char* value;  // the magnitude's name, or nullptr for ops without one
        const char* doc;
    };
    using resizemix::augment_op;
    const std::array<op_binding, 13> op_bindings{{
        {augment_op::shear_x, "magnitude", "ShearX: output (x, y) reads the source at (x + magnitude * (y + 0.5), y)."},
        {augment_op::shear_y, "magnitude", "ShearY: output (x, y) reads the source at (x, y + magnitude * (x + 0.5))."},
        {augment_op::translate_x, "pixels", "TranslateX: moves the image right by `pixels` (truncated toward zero)."},
        {augment_op::translate_y, "pixels", "TranslateY: moves the image down by `pixels` (truncated toward zero)."},
        {augment_op::rotate, "degrees", "Rotate: turns the image counter-clockwise by `degrees` about its centre."},
        {augment_op::brightness, "magnitude", "Brightness: blend with black by factor 1 + magnitude (>= -1)."},
        {augment_op::color, "magnitude", "Color: blend with the grayscale image by factor 1 + magnitude (1 or 3 channels)."},
        {augment_op::contrast, "magnitude", "Contrast: blend with the grayscale mean by factor 1 + magnitude (1 or 3 channels)."},
        {augment_op::sharpness, "magnitude", "Sharpness: blend with torchvision's smoothed image by factor 1 + magnitude."},
        {augment_op::posterize, "bits", "Posterize: keep the top `bits` bits (0-8) of each level."},
        {augment_op::solarize, "threshold", "Solarize: invert every pixel at or above `threshold` (0-255 scale for both dtypes)."},
        {augment_op::auto_contrast, nullptr, "AutoContrast: stretch each channel to the full range."},
        {augment_op::equalize, nullptr, "Equalize: torchvision's per-channel histogram equalization."},
    }};
    const std::string shared_doc =
        "\n\nimage, out: one image (3-D, layout 'chw' or 'hwc') or a batch (4-D, 'nchw' or 'nhwc'), uint8 or "
        "float32; in place when out is None.";
    for (const op_binding& binding : op_bindings) {
        const resizemix::augment_op op = binding.op;
        const std::string doc = binding.doc + shared_doc;
        const bool geometric = op == augment_op::shear_x || op == augment_op::shear_y || op == augment_op::translate_x ||
                               op == augment_op::translate_y || op == augment_op::rotate;
        if (geometric) {
            m.def(op_name(op),
                  [op](const py::object& image, double value, const py::object& out, const py::object& layout,
                       const std::string& interpolation, const py::object& fill) {
                      apply_op(op_name(op), image, value, out, layout, interpolation, fill);
                  },
                  py::arg("image"), py::arg(binding.value), py::arg("out") = py::none(), py::kw_only(),
                  py::arg("layout") = py::none(), py::arg("interpolation") = "nearest", py::arg("fill") = py::none(),
                  (doc + " interpolation: 'nearest' or 'bilinear'; fill: None (zeros), a number or one per channel "
                         "(0-255 scale).").c_str());
        } else if (binding.value != nullptr) {
            m.def(op_name(op),
                  [op](const py::object& image, double value, const py::object& out, const py::object& layout) {
                      apply_op(op_name(op), image, value, out, layout, "nearest", py::none());
                  },
                  py::arg("image"), py::arg(binding.value), py::arg("out") = py::none(), py::kw_only(),
                  py::arg("layout") = py::none(), doc.c_str());
        } else {
            m.def(op_name(op),
                  [op](const py::object& image, const py::object& out, const py::object& layout) {
                      apply_op(op_name(op), image, 0.0, out, layout, "nearest", py::none());
                  },
                  py::arg("image"), py::arg("out") = py::none(), py::kw_only(), py::arg("layout") = py::none(),
                  doc.c_str());
        }
    }

    m.def("one_of", [](const py::sequence& branches) { return py_one_of(branches); }, py::arg("branches"),
          "one_of([(ResizeMix(), 0.5), (CutMix(), 0.5)]): picks one branch per sample; a bare mixer has weight 1.");
    m.def("sometimes", [](py::object mixer, double probability) { return py_sometimes(std::move(mixer), probability); },
          py::arg("mixer"), py::arg("probability"), "sometimes(mixer, p): mixes a sample with probability p.");

    m.def("mix", &mix_pair, py::arg("mixer"), py::arg("source"), py::arg("target"), py::arg("out") = py::none(),
          py::kw_only(), py::arg("seed") = 0, py::arg("stream") = 0, py::arg("layout") = "chw",
          py::arg("source_saliency") = py::none(), py::arg("target_saliency") = py::none(),
          py::arg("saliency") = py::none(),
          R"(Mixes one pair: source pixels into target (in place when out is None) or into out.

source, target, out: 3-D uint8 or float32 NumPy arrays or CPU torch tensors, (C, H, W) for
layout='chw' or (H, W, C) for layout='hwc', any strides. Draws come from rng(seed, stream),
as in C++. Saliency (for salient / non-salient regions): 2-D maps as source_saliency /
target_saliency, or saliency=callable(SaliencyQuery) -> 2-D map. Returns a MixInfo.)");

    m.def("mix_batch", &mix_batch, py::arg("mixer"), py::arg("images"), py::arg("labels") = py::none(),
          py::arg("out") = py::none(), py::kw_only(), py::arg("num_classes") = 0, py::arg("label_smoothing") = 0.0f,
          py::arg("seed") = 0, py::arg("epoch") = 0, py::arg("step") = 0, py::arg("rank") = 0,
          py::arg("sample_ids") = py::none(), py::arg("threads") = 1, py::arg("pairing") = "shuffle",
          py::arg("partners") = py::none(), py::arg("per_batch") = false, py::arg("layout") = "nchw",
          py::arg("saliency") = py::none(), py::arg("repeats") = 1,
          R"(Mixes every sample of a batch with its partner, in place when out is None.

images, out: 4-D uint8 or float32 NumPy arrays or CPU torch tensors, (N, C, H, W) for
layout='nchw' (also channels_last tensors: strides are followed) or (N, H, W, C) for
layout='nhwc'. labels: N int64 class indices (with num_classes > 0 and label_smoothing),
or an (N, K) float dense target matrix (one-hot, soft or multi-hot; rows mixed with
lambda, nothing renormalised). A training loop passes epoch and step (the batch counter)
and, data-parallel, rank: every draw derives from (seed, epoch, step, rank, sample), or
from (seed, epoch, sample_ids[i]) for the samples' own draws when sample_ids (dataset
indices) are given, exactly as C++ resizemix::mix_batch; threads (0 = every core) never
change the bytes. pairing: 'shuffle' or 'flip', or partners=[...].
saliency: an (N, h, w) array of maps or callable(SaliencyQuery) -> 2-D map.
repeats > 1 is batch augmentation (resizemix::mix_batch_repeated): out= must hold
repeats x N samples; copy r is mix_batch with seed repeat_seed(seed, r), its own
pairing and draws, records and label rows copy after copy (partners index images).
Returns (soft_labels, records): an (N, num_classes) float32 array (a tensor when images
is a tensor; None without labels) and a BatchRecords.)");
}
