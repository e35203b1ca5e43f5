"""The screens' front-end assets: the big screen (/screen/), the desk (/desk/) and the phone (/m/).

`vendor/` holds the JavaScript libraries and `data/` the map data, both committed so that a fresh clone needs
no Node.js at run time. `build.py` regenerates them from `node_modules/` (`./taskw screens` runs `npm ci` first);
`vendor/VENDORED.json` lists every shipped file with its source and sha256, and tests/unit/test_screens_bundle.py
holds the two together.
"""
