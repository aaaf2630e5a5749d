from __future__ import annotations

from showcase.listings.photos import renditions, sized_url, srcset, with_size_word

OLD = "https://photos.example/4815/2/large/1700000000"


def test_rewrites_the_size_word_segment():
    assert with_size_word(OLD, "thumb") == "https://photos.example/4815/2/thumb/1700000000"
    assert with_size_word(OLD, "large3") == "https://photos.example/4815/2/large3/1700000000"


def test_the_size_word_is_a_token_so_large2_never_becomes_large22():
    url = "https://photos.example/4815/2/large2/1700000000"
    assert with_size_word(url, "large2") == url
    assert with_size_word(url, "large") == OLD
    assert with_size_word(url, "large3") == "https://photos.example/4815/2/large3/1700000000"


def test_words_inside_other_segments_are_left_alone():
    url = "https://largeimages.example/enlarged/4815/large/17.jpg"
    assert (
        with_size_word(url, "medium") == "https://largeimages.example/enlarged/4815/medium/17.jpg"
    )


def test_a_url_without_size_word_is_unchanged_and_has_no_srcset():
    url = "https://cdn.example/photo.jpg"
    assert with_size_word(url, "thumb") == url
    assert srcset(url) == ""


def test_srcset_lists_the_three_large_sizes_with_their_widths():
    assert srcset(OLD) == (
        "https://photos.example/4815/2/large/1700000000 300w, "
        "https://photos.example/4815/2/large2/1700000000 640w, "
        "https://photos.example/4815/2/large3/1700000000 800w"
    )


def test_studio_net_photos_use_width_height_func_and_jpg_format():
    url = "https://media.studio-net.fr/biens/123/photo.png?gravity=nord"
    assert sized_url(url, 640) == (
        "https://media.studio-net.fr/biens/123/photo.png?gravity=nord&width=640&height=480"
        "&func=bound&format=jpg"
    )
    assert "1280w" in srcset(url)


def test_sized_url_picks_the_smallest_rendition_wide_enough():
    assert "/large2/" in sized_url(OLD, 500)
    assert "/large/" in sized_url(OLD, 200)
    assert "/large3/" in sized_url(OLD, 2000)


def test_http_photo_urls_come_out_over_https_in_every_size():
    from showcase.listings.photos import secure_url

    old = "http://photos.gedeon-old.example/12/1/large/1600000000"
    assert secure_url(old) == "https://photos.gedeon-old.example/12/1/large/1600000000"
    assert sized_url(old, 800) == "https://photos.gedeon-old.example/12/1/large3/1600000000"
    assert "http://" not in srcset(old) and srcset(old).count("https://") == 3
    studio = "http://media.studio-net.fr/biens/12/1.jpg"
    assert sized_url(studio, 640).startswith("https://media.studio-net.fr/biens/12/1.jpg?")
    assert "http://" not in srcset(studio)
    assert secure_url("https://photos.example/a.jpg") == "https://photos.example/a.jpg"


def test_renditions_give_the_size_a_width_needs_and_every_candidate_from_one_reading():
    assert renditions(OLD, 640) == (
        "https://photos.example/4815/2/large2/1700000000",
        srcset(OLD),
    )
    assert renditions("http://cdn.example/photo.jpg", 800) == ("https://cdn.example/photo.jpg", "")
