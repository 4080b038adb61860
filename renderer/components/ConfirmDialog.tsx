// A question that must be answered before something cannot be undone (cancel a sync, erase).
// react-aria-components gives the dialog its focus trap, Escape and the screen-reader roles.
import type { ReactNode } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Keep going',
  danger,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <ModalOverlay isOpen={open} onOpenChange={(o) => !o && onClose()} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog role="alertdialog">
          <Heading slot="title" level={2}>
            {title}
          </Heading>
          <div>{children}</div>
          <div className="actions">
            <Button onPress={onClose} autoFocus className="rac-button">
              {cancelLabel}
            </Button>
            <Button
              className={`rac-button ${danger ? 'danger' : 'primary'}`}
              onPress={() => {
                onConfirm();
                onClose();
              }}
            >
              {confirmLabel}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
