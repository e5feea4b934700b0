"""`save_new_file(field_file, content)`: what `field_file.save(name, content, save=False)`
does, with fewer layers for a new upload on the local disk.

Django's path (FieldFile.save, Storage.save, FileSystemStorage._save) validates the name three
times, asks the disk whether it is free, takes a lock on the new file and writes it chunk by
chunk, and costs about a third of a millisecond of Python: a tenth of a dossier's submission
(bench/procedures_submit.py). Here, on the default `FileSystemStorage`:

- the name is the field's (`generate_filename`: its `upload_to`, validated by Django) and
  must fit the field's `max_length`;
- the file is created with O_EXCL, so it never replaces another one (a taken name goes the
  whole Django way, which picks a free one), its folders created if missing as the storage
  creates them;
- its permissions and group are then set as the storage sets them.

Other storages, and a large upload already in a temporary file (moved, not copied), go
through `field_file.save`. The content is binary, as `langso.core.uploads` reads it.
"""

import os

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.utils._os import safe_makedirs  # type: ignore[attr-defined]  # Django 5.1+

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def save_new_file(field_file: FieldFile, content: File, name: str = "") -> None:
    """Store `content` as the file of `field_file`, named by its field from `name`, and set
    the name on the instance (not saved), as `field_file.save(name, content, save=False)`."""
    storage = field_file.storage
    field = field_file.field
    # __class__, not type(): default_storage is a lazy object standing for the storage.
    if storage.__class__ is not FileSystemStorage or hasattr(content, "temporary_file_path"):
        field_file.save(name, content, save=False)
        return
    stored = field.generate_filename(field_file.instance, name)
    if field.max_length and len(stored) > field.max_length:
        field_file.save(name, content, save=False)  # Django shortens it or refuses it
        return
    path = storage.path(stored)  # refuses a name outside the storage's folder
    try:
        fd = _create(path, storage)
    except FileExistsError:
        field_file.save(name, content, save=False)
        return
    with os.fdopen(fd, "wb") as out:
        if storage.file_permissions_mode is not None:
            os.fchmod(fd, storage.file_permissions_mode)
        if os.name == "posix":  # the group of the storage's folder, as Django sets it
            group = os.stat(storage.location).st_gid
            if os.fstat(fd).st_gid != group:
                try:
                    os.fchown(fd, -1, group)
                except PermissionError:
                    pass
        for chunk in content.chunks():
            out.write(chunk)
    field_file.name = stored
    setattr(field_file.instance, field.attname, stored)
    field_file._committed = True  # type: ignore[attr-defined]


def _create(path: str, storage: FileSystemStorage) -> int:
    try:
        return os.open(path, _FLAGS, 0o666)
    except FileNotFoundError:
        directory = os.path.dirname(path)
        if storage.directory_permissions_mode is not None:
            safe_makedirs(directory, storage.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        return os.open(path, _FLAGS, 0o666)
