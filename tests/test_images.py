"""load_image reads every kind of image Pillow reads, and says clearly what it cannot read."""

import io

import numpy as np
import pytest
from PIL import Image

import pooling_helpers as ph


def png_bytes(image, **save):
    buffer = io.BytesIO()
    image.save(buffer, format=save.pop("format", "PNG"), **save)
    return buffer.getvalue()


def test_the_cat_as_in_the_article():
    cat = ph.load_image(ph.CAT_PATH)
    assert cat.shape == (300, 451, 3) and cat.dtype == np.uint8
    grey = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))
    assert grey.shape == (224, 224) and grey.dtype == np.uint8
    assert ph.pool2d(grey, 2).shape == (112, 112)


def test_transparent_image_is_laid_on_white():
    image = Image.new("RGBA", (4, 3), (255, 0, 0, 0))
    out = ph.load_image(png_bytes(image))
    assert out.shape == (3, 4, 3) and (out == 255).all()


def test_palette_sixteen_bit_and_cmyk():
    palette = Image.new("P", (5, 2))
    palette.putpalette([0, 0, 0, 10, 200, 30] + [0] * 762)
    palette.putpixel((1, 1), 1)
    assert ph.load_image(png_bytes(palette))[1, 1].tolist() == [10, 200, 30]
    deep = Image.fromarray(np.full((3, 3), 65535, dtype=np.uint16))
    assert ph.load_image(png_bytes(deep)).max() == 255
    assert ph.load_image(png_bytes(deep), grayscale=True).shape == (3, 3)
    cmyk = Image.new("CMYK", (3, 3), (0, 0, 0, 0))
    assert ph.load_image(png_bytes(cmyk, format="JPEG")).shape == (3, 3, 3)


def test_exif_rotated_photo_is_turned_upright(tmp_path):
    image = Image.new("RGB", (40, 20), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    path = tmp_path / "phone.jpg"
    image.save(path, exif=exif)
    assert ph.load_image(path).shape == (40, 20, 3)


def test_max_side_keeps_the_aspect_and_memoryview_works():
    big = Image.new("RGB", (3000, 1500), "grey")
    out = ph.load_image(memoryview(png_bytes(big, format="JPEG")), max_side=600)
    assert out.shape == (300, 600, 3)


def test_missing_file_and_files_that_are_not_images(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such.png"):
        ph.load_image(tmp_path / "no_such.png")
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(ValueError, match="notes.png"):
        ph.load_image(text)
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(png_bytes(Image.new("RGB", (64, 64), "red"))[:60])
    with pytest.raises(ValueError, match="cut.png"):
        ph.load_image(truncated)
    with pytest.raises(ValueError, match="these bytes are not an image"):
        ph.load_image(b"hello")
    with pytest.raises(TypeError, match="source"):
        ph.load_image(42)
    with pytest.raises(ValueError, match="max_side"):
        ph.load_image(ph.CAT_PATH, max_side=0)
